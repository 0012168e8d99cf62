"""Hand-off routing: ordered rules, teams, office hours, SLA tiers, what the customer is told."""

from concierge.routing.errors import RoutingError, RoutingFileError, RoutingProblem
from concierge.routing.hours import HoursError, OfficeHours, parse_day
from concierge.routing.loader import build_table, load_routing
from concierge.routing.sla import SLA_HOURS, first_response_due
from concierge.routing.table import RoutingRule, RoutingTable, Team, with_score

__all__ = [
    "SLA_HOURS",
    "HoursError",
    "OfficeHours",
    "RoutingError",
    "RoutingFileError",
    "RoutingProblem",
    "RoutingRule",
    "RoutingTable",
    "Team",
    "build_table",
    "first_response_due",
    "load_routing",
    "parse_day",
    "with_score",
]
