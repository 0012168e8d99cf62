"""Hand-off routing: ordered rules, teams, office hours, SLA tiers, what the customer is told."""
