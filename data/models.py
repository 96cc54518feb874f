"""The schema as typed SQLAlchemy 2 models. Changed only together with a new Alembic migration."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

ORGANISATION_KINDS = ("myndighet", "kommun", "region", "bolag", "ovrigt")
FIGURE_STATUSES = ("measured", "estimated", "preliminary")
REVISION_SOURCES = ("form", "grid", "import", "restore", "api", "demo", "cli")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    pass


class Organisation(Base):
    __tablename__ = "organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    peer_group: Mapped[str | None] = mapped_column(String(100))
    employees: Mapped[int | None] = mapped_column(Integer)
    population: Mapped[int | None] = mapped_column(Integer)
    # SCB's länskod ("01"); the year and source ("Kolada") of the population, NULL when typed by hand.
    county_code: Mapped[str | None] = mapped_column(String(2))
    population_year: Mapped[int | None] = mapped_column(Integer)
    population_source: Mapped[str | None] = mapped_column(String(40))
    active: Mapped[bool] = mapped_column(default=True)
    # Opt-in to appear by name in other organisations' comparisons; anonymous otherwise.
    named_comparison: Mapped[bool] = mapped_column(default=False)
    is_demo: Mapped[bool] = mapped_column(default=False)
    # Opt-in to publish the measured figures as open data (separate from named comparison);
    # open_data_uncertain adds the estimated and preliminary ones.
    open_data: Mapped[bool] = mapped_column(default=False)
    open_data_uncertain: Mapped[bool] = mapped_column(default=False)

    __table_args__ = (
        CheckConstraint(f"kind IN {ORGANISATION_KINDS}", name="ck_organisation_kind"),
    )


class Metric(Base):
    __tablename__ = "metric"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_sv: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    unit_sv: Mapped[str] = mapped_column(String(40))
    unit_en: Mapped[str] = mapped_column(String(40))
    unit_kind: Mapped[str] = mapped_column(String(20))
    description_sv: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    definition_sv: Mapped[str] = mapped_column(Text, default="")
    definition_en: Mapped[str] = mapped_column(Text, default="")
    direction: Mapped[str] = mapped_column(String(10))
    min_value: Mapped[float | None] = mapped_column(Float)
    max_value: Mapped[float | None] = mapped_column(Float)
    whole_number: Mapped[bool] = mapped_column(default=False)
    decimals: Mapped[int] = mapped_column(Integer, default=1)
    aggregation: Mapped[str] = mapped_column(String(10))
    source: Mapped[str] = mapped_column(String(20), default="")
    passage: Mapped[str] = mapped_column(Text, default="")
    passage_by: Mapped[str] = mapped_column(String(200), default="")
    built_in: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    # Hash of the catalogue entry last written to this row: lets a re-init tell an
    # administrator's wording edit (row differs from it) from an unchanged row.
    catalogue_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        CheckConstraint("direction IN ('higher', 'lower')", name="ck_metric_direction"),
        CheckConstraint("aggregation IN ('sum', 'mean', 'median')", name="ck_metric_aggregation"),
    )


class Measurement(Base):
    """The current figure for one organisation, metric and quarter."""

    __tablename__ = "measurement"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id"))
    # Quarter index (year * 4 + quarter - 1): sorts and subtracts as an integer.
    period: Mapped[int] = mapped_column(Integer)
    value: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(12), default="measured")
    comment: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (
        UniqueConstraint("organisation_id", "metric_id", "period", name="uq_measurement_cell"),
        CheckConstraint(f"status IN {FIGURE_STATUSES}", name="ck_measurement_status"),
        # Covering: one metric across organisations and quarters is read from the index alone.
        Index("ix_measurement_metric_period_value", "metric_id", "period", "organisation_id", "value", "status"),
    )


class MeasurementRevision(Base):
    """Append-only history of every change to a figure; a retraction has new_value NULL."""

    __tablename__ = "measurement_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id"))
    period: Mapped[int] = mapped_column(Integer)
    old_value: Mapped[float | None] = mapped_column(Float)
    new_value: Mapped[float | None] = mapped_column(Float)
    old_status: Mapped[str | None] = mapped_column(String(12))
    new_status: Mapped[str | None] = mapped_column(String(12))
    old_comment: Mapped[str | None] = mapped_column(Text)
    new_comment: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(100))
    via: Mapped[str] = mapped_column(String(12))
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_hash: Mapped[str | None] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_revision_cell", "organisation_id", "metric_id", "period"),
        CheckConstraint(f"via IN {REVISION_SOURCES}", name="ck_revision_via"),
    )


class AuditEvent(Base):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(60))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    detail: Mapped[str] = mapped_column(Text, default="")
    origin: Mapped[str] = mapped_column(String(100), default="")


class DataVersion(Base):
    """One row whose counter every write bumps: the cache key that makes a save show everywhere."""

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, default=0)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=func.now())


ACCOUNT_ROLES = ("admin", "editor", "viewer")


class Account(Base):
    """A person who signs in. Roles and organisations live here, never with the identity provider."""

    __tablename__ = "account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    # argon2id hash; NULL for an account that signs in only through single sign-on.
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(10))
    active: Mapped[bool] = mapped_column(default=True)
    is_demo: Mapped[bool] = mapped_column(default=False)
    email: Mapped[str | None] = mapped_column(String(255))
    # The language of the e-mails the person gets (reminders, digest).
    language: Mapped[str] = mapped_column(String(2), default="sv", server_default="sv")
    # Opted in to the quarterly digest for their organisations.
    digest: Mapped[bool] = mapped_column(default=False, server_default=false())
    sso_issuer: Mapped[str | None] = mapped_column(String(255))
    sso_subject: Mapped[str | None] = mapped_column(String(255))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)

    __table_args__ = (
        CheckConstraint(f"role IN {ACCOUNT_ROLES}", name="ck_account_role"),
        UniqueConstraint("sso_issuer", "sso_subject", name="uq_account_sso"),
    )


class AccountOrganisation(Base):
    """Which organisations an editor may change."""

    __tablename__ = "account_organisation"

    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), primary_key=True)


class SignIn(Base):
    """A server-side sign-in record: the browser session holds only its token.

    Every run looks the record up again, so ending it (sign-out, idle timeout, deactivation,
    role change, password reset) takes effect at the person's next interaction.
    """

    __tablename__ = "sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the token: a copy of this table does not let anyone take over a session.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    ended_reason: Mapped[str | None] = mapped_column(String(20))
    origin: Mapped[str] = mapped_column(String(100), default="")
    method: Mapped[str] = mapped_column(String(10), default="password")


class ApiToken(Base):
    """A named API token of an account: only its SHA-256 is kept; the token is shown once."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("account.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    created_by: Mapped[str] = mapped_column(String(100))
    # The last day the token works (inclusive); NULL: no expiry.
    expires_on: Mapped[dt.date | None] = mapped_column(Date)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(100))


class FailedSignIn(Base):
    """One failed attempt, by the name typed (whether or not such an account exists)."""

    __tablename__ = "failed_sign_in"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    origin: Mapped[str] = mapped_column(String(100), default="")

    __table_args__ = (Index("ix_failed_sign_in_username_at", "username", "at"),)


TARGET_KINDS = ("10x", "planned")
TARGET_ACTIONS = ("create", "change", "remove")


class Target(Base):
    """An organisation's target for one metric: the 10x one and, beside it, a planned (incremental) one."""

    __tablename__ = "target"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id"))
    kind: Mapped[str] = mapped_column(String(10))
    # Quarter indexes, like measurement.period.
    baseline_period: Mapped[int] = mapped_column(Integer)
    baseline_value: Mapped[float] = mapped_column(Float)
    target_period: Mapped[int] = mapped_column(Integer)
    target_value: Mapped[float] = mapped_column(Float)
    owner: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (
        UniqueConstraint("organisation_id", "metric_id", "kind", name="uq_target_kind"),
        CheckConstraint(f"kind IN {TARGET_KINDS}", name="ck_target_kind"),
    )


class TargetRevision(Base):
    """Append-only history of every target change: the state after it (all NULL on removal)."""

    __tablename__ = "target_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    metric_id: Mapped[int] = mapped_column(ForeignKey("metric.id"))
    kind: Mapped[str] = mapped_column(String(10))
    action: Mapped[str] = mapped_column(String(10))
    baseline_period: Mapped[int | None] = mapped_column(Integer)
    baseline_value: Mapped[float | None] = mapped_column(Float)
    target_period: Mapped[int | None] = mapped_column(Integer)
    target_value: Mapped[float | None] = mapped_column(Float)
    owner: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (
        Index("ix_target_revision_cell", "organisation_id", "metric_id", "kind"),
        CheckConstraint(f"action IN {TARGET_ACTIONS}", name="ck_target_revision_action"),
    )


class Decision(Base):
    """A decision or experiment a board took at a meeting: followed up in the next board pack."""

    __tablename__ = "decision"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    # Quarter indexes like measurement.period: the meeting's quarter and the quarter it is due.
    decided_period: Mapped[int] = mapped_column(Integer)
    what: Mapped[str] = mapped_column(Text)
    owner: Mapped[str] = mapped_column(String(200), default="")
    due_period: Mapped[int | None] = mapped_column(Integer)
    done: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
    # An experiment's follow-up (0012): the metric codes it should move (comma-separated), the
    # expected direction ("up"/"down") and size, the start and follow-up quarters, and the outcome
    # the owner records with what was learned; lessons_feed counts its lesson in "Delade lärdomar".
    metric_codes: Mapped[str] = mapped_column(String(400), default="")
    expected_direction: Mapped[str | None] = mapped_column(String(10))
    expected_size: Mapped[float | None] = mapped_column(Float)
    start_period: Mapped[int | None] = mapped_column(Integer)
    follow_up_period: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[str | None] = mapped_column(String(20))
    lesson: Mapped[str] = mapped_column(Text, default="")
    lessons_feed: Mapped[bool] = mapped_column(default=False)


EVENT_KINDS = ("launch", "reorganisation", "method_change", "campaign", "other")
EVENT_ACTIONS = ("add", "change", "remove")


class TimelineEvent(Base):
    """Something that happened in an organisation's quarter (a launch, a new survey method …), for
    one metric or all of them: the "why" beside the numbers on charts and in the board pack."""

    __tablename__ = "timeline_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    metric_id: Mapped[int | None] = mapped_column(ForeignKey("metric.id"))
    period: Mapped[int] = mapped_column(Integer)  # a quarter index like measurement.period
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer, default=1)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (CheckConstraint(f"kind IN {EVENT_KINDS}", name="ck_timeline_event_kind"),)


class TimelineEventRevision(Base):
    """Append-only history of every event change: the state after it (before it, for a removal)."""

    __tablename__ = "timeline_event_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(Integer, index=True)  # no foreign key: outlives a removal
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    action: Mapped[str] = mapped_column(String(10))
    metric_id: Mapped[int | None] = mapped_column(Integer)
    period: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    version: Mapped[int] = mapped_column(Integer)
    changed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    changed_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (CheckConstraint(f"action IN {EVENT_ACTIONS}", name="ck_timeline_event_revision_action"),)


class ReportingDeadline(Base):
    """A deadline an administrator set for one quarter; quarters without one use the default offset."""

    __tablename__ = "reporting_deadline"

    period: Mapped[int] = mapped_column(Integer, primary_key=True)
    due: Mapped[dt.date] = mapped_column(Date)
    set_by: Mapped[str] = mapped_column(String(100))
    set_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class SignOff(Base):
    """An organisation's quarter signed off ("klarmarkerad"); kept after a reopening, for history.

    The quarter is locked while a row without ``reopened_at`` exists.
    """

    __tablename__ = "sign_off"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"))
    period: Mapped[int] = mapped_column(Integer)
    signed_by: Mapped[str] = mapped_column(String(100))
    signed_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    missing: Mapped[int] = mapped_column(Integer, default=0)
    reopened_by: Mapped[str | None] = mapped_column(String(100))
    reopened_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (Index("ix_sign_off_cell", "organisation_id", "period"),)


MAIL_KINDS = ("reminder", "digest")
MAIL_OUTCOMES = ("sent", "failed")


class MailDelivery(Base):
    """Every reminder or digest sent or refused: the record that keeps a second run from repeating it."""

    __tablename__ = "mail_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))
    username: Mapped[str] = mapped_column(String(100))
    address: Mapped[str] = mapped_column(String(255))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id"))
    period: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(10))
    error: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    sent_by: Mapped[str] = mapped_column(String(100))

    __table_args__ = (
        Index("ix_mail_delivery_who", "username", "kind", "period"),
        CheckConstraint(f"kind IN {MAIL_KINDS}", name="ck_mail_delivery_kind"),
        CheckConstraint(f"outcome IN {MAIL_OUTCOMES}", name="ck_mail_delivery_outcome"),
    )
class CustomerVoice(Base):
    """The customer's voice for one organisation's quarter: a short recorded call or video clip and
    quotes, shown first in the board meeting (the workshop: "preferably visually, e.g. on film")."""

    __tablename__ = "customer_voice"
    __table_args__ = (UniqueConstraint("organisation_id", "period", name="uq_customer_voice_organisation_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    period: Mapped[int] = mapped_column(Integer)  # a quarter index like measurement.period
    quotes: Mapped[str] = mapped_column(Text, default="")  # one quote per line
    clip_name: Mapped[str | None] = mapped_column(String(255))
    clip_mime: Mapped[str | None] = mapped_column(String(100))
    clip: Mapped[bytes | None] = mapped_column(LargeBinary)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[str] = mapped_column(String(100), default="")
