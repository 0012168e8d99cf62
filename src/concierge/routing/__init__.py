"""Hand-off routing: ordered rules, teams, office hours, SLA tiers, what the customer is told,
and who can take a conversation now (agents' availability and round robin)."""

from concierge.routing.agents import (
    AgentAvailability,
    RoundRobinPick,
    TeamAvailability,
    agent_availability,
    measured_reply_words,
    pick_round_robin,
    team_availability,
)
from concierge.routing.errors import RoutingError, RoutingFileError, RoutingProblem
from concierge.routing.hours import HoursError, OfficeHours, parse_day
from concierge.routing.loader import build_table, load_routing
from concierge.routing.sla import SLA_HOURS, first_response_due
from concierge.routing.table import (
    Agent,
    MeasuredReply,
    RoutingRule,
    RoutingTable,
    Team,
    with_score,
)

__all__ = [
    "SLA_HOURS",
    "Agent",
    "AgentAvailability",
    "HoursError",
    "MeasuredReply",
    "OfficeHours",
    "RoundRobinPick",
    "RoutingError",
    "RoutingFileError",
    "RoutingProblem",
    "RoutingRule",
    "RoutingTable",
    "Team",
    "TeamAvailability",
    "agent_availability",
    "build_table",
    "first_response_due",
    "load_routing",
    "measured_reply_words",
    "parse_day",
    "pick_round_robin",
    "team_availability",
    "with_score",
]
