"""What a fresh emulator workspace contains: Portlandia Electric Supply, an electrical
distributor with sales, support and catalog teams.

Every field of :class:`Seed` has the Portlandia default, so an override replaces only what
it names: ``Seed(admins=[...])`` keeps the default teams, contacts and tags.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from concierge.intercom.emulator.records import AttributeType, ConversationState

NumericId = Annotated[str, StringConstraints(pattern=r"^[0-9]+$")]
"""Admin and team ids are numeric strings in Intercom (lists of them are integers)."""


class _SeedModel(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AdminSeed(_SeedModel):
    """A human teammate."""

    id: NumericId
    name: str
    email: str
    job_title: str = ""
    team_ids: tuple[NumericId, ...] = ()
    away_mode_enabled: bool = False
    away_mode_reassign: bool = False
    has_inbox_seat: bool = True


class TeamSeed(_SeedModel):
    """A team (members are the admins that list it in ``team_ids``)."""

    id: NumericId
    name: str


class ContactSeed(_SeedModel):
    """A contact; a lead when it has neither email nor external id."""

    id: str
    email: str | None = None
    name: str | None = None
    external_id: str | None = None
    phone: str | None = None
    custom_attributes: dict[str, str | int | float | bool | None] = Field(default_factory=dict)


class MessageSeed(_SeedModel):
    """A message in a seeded conversation, by a contact or an admin id."""

    author_id: str
    body: str
    part_type: Literal["comment", "note"] = "comment"


class ConversationSeed(_SeedModel):
    """A conversation; the first message is its source."""

    id: str
    contact_id: str
    messages: tuple[MessageSeed, ...] = Field(min_length=1)
    state: ConversationState = "open"
    admin_assignee_id: str | None = None
    team_assignee_id: str | None = None
    tag_ids: tuple[str, ...] = ()


class TagSeed(_SeedModel):
    """A tag."""

    id: str
    name: str


class DataAttributeSeed(_SeedModel):
    """A custom contact data attribute that already exists in the workspace."""

    name: str
    data_type: AttributeType = "string"
    label: str | None = None
    description: str = ""
    options: tuple[str, ...] | None = None


SALES, SUPPORT, CATALOG = "5000001", "5000002", "5000003"
PAT_ID = "6650a1b2c3d4e5f600000001"

DEFAULT_ADMINS = (
    AdminSeed(
        id="9000101",
        name="Maya Chen",
        email="maya.chen@portlandia-electric.example",
        job_title="Sales Development Rep",
        team_ids=(SALES,),
    ),
    AdminSeed(
        id="9000102",
        name="Luis Ortega",
        email="luis.ortega@portlandia-electric.example",
        job_title="Account Executive",
        team_ids=(SALES,),
    ),
    AdminSeed(
        id="9000103",
        name="Priya Nair",
        email="priya.nair@portlandia-electric.example",
        job_title="Support Specialist",
        team_ids=(SUPPORT,),
    ),
    AdminSeed(
        id="9000104",
        name="Sam Okafor",
        email="sam.okafor@portlandia-electric.example",
        job_title="Support Specialist",
        team_ids=(SUPPORT,),
        away_mode_enabled=True,
        away_mode_reassign=True,
    ),
    AdminSeed(
        id="9000105",
        name="Dana Whitfield",
        email="dana.whitfield@portlandia-electric.example",
        job_title="Catalog Manager",
        team_ids=(CATALOG, SALES),
    ),
)

DEFAULT_TEAMS = (
    TeamSeed(id=SALES, name="Sales"),
    TeamSeed(id=SUPPORT, name="Support"),
    TeamSeed(id=CATALOG, name="Catalog"),
)

DEFAULT_CONTACTS = (
    ContactSeed(
        id=PAT_ID,
        email="pat.brennan@brennan-contracting.example",
        name="Pat Brennan",
        external_id="PES-10442",
        custom_attributes={"account_number": "A-10442"},
    ),
    ContactSeed(id="6650a1b2c3d4e5f600000002"),
)

DEFAULT_CONVERSATIONS = (
    ConversationSeed(
        id="1",
        contact_id=PAT_ID,
        state="closed",
        admin_assignee_id="9000102",
        team_assignee_id=SALES,
        messages=(
            MessageSeed(author_id=PAT_ID, body="<p>Can I get a quote on 40 LED wall packs?</p>"),
            MessageSeed(author_id="9000102", body="<p>Sure, quote Q-2291 is in your inbox.</p>"),
        ),
    ),
)

DEFAULT_TAGS = (
    TagSeed(id="7000001", name="Hot lead"),
    TagSeed(id="7000002", name="Quote request"),
    TagSeed(id="7000003", name="Stock check"),
)

DEFAULT_DATA_ATTRIBUTES = (
    DataAttributeSeed(name="account_number", label="Account number"),
    DataAttributeSeed(name="preferred_branch", label="Preferred branch"),
)


class Seed(_SeedModel):
    """The initial contents of an emulator workspace (the bot admin is added separately)."""

    workspace_id: str = "ecosim01"
    workspace_name: str = "Portlandia Electric Supply"
    region: str = "US"
    timezone: str = "America/Los_Angeles"
    created_at: int = 1_717_200_000
    bot_name: str = "Concierge"
    admins: tuple[AdminSeed, ...] = DEFAULT_ADMINS
    teams: tuple[TeamSeed, ...] = DEFAULT_TEAMS
    contacts: tuple[ContactSeed, ...] = DEFAULT_CONTACTS
    conversations: tuple[ConversationSeed, ...] = DEFAULT_CONVERSATIONS
    tags: tuple[TagSeed, ...] = DEFAULT_TAGS
    data_attributes: tuple[DataAttributeSeed, ...] = DEFAULT_DATA_ATTRIBUTES
