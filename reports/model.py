"""The board pack as data: the slides of one organisation's quarter, in the workshop's agenda order.

The Almedalen 2018 workshop's innovation-driven meeting puts the customer's voice first, the
hardest items next, names who is responsible, and follows up what was decided last time. This
module turns figures, targets, peers and decisions into that sequence of slides, with every text
already translated and formatted, so the page, the PDF and the PPTX show exactly the same thing.

Pure: no Streamlit, no database. Targets (status, owner, trajectory) are an optional input per
metric code: without them a slide says "no target set" and "hardest" falls back to the metrics
that worsened most since the previous quarter, judged by each metric's direction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from data.signoff import SignOffInfo
from metrics import clock
from metrics.breaks import breaks_by_metric, latest_break
from metrics.catalogue import MetricDefinition
from metrics.cells import optional_number
from metrics.changes import ATTENTION_RANK, Standing, change_summary, needing_attention, relative_change, worse
from metrics.disclosure import Rule, peer_statistics
from metrics.periods import Quarter
from metrics.targets import KINDS, assessments, plan_of
from presentation.formatting import DASH, format_date, format_number, format_value
from presentation.i18n import translate
from presentation.wording import change_text, comment_line, status_text

CUSTOMER_METRICS = ("customer_satisfaction", "customer_smiles")
TREND_QUARTERS = 8
MAX_HARDEST_SLIDES = 6
MOVERS = 3
SLIDE_KINDS = ("title", "customer_voice", "changes", "hardest", "rest", "follow_up", "summary")


@dataclass(frozen=True)
class TargetInfo:
    """What the targets feature knows about one metric; every field optional."""

    status: str | None = None  # on_track / at_risk / off_track / no_data
    previous_status: str | None = None  # the status a quarter ago: a flip is news for the board
    owner: str = ""
    target_value: float | None = None
    target_quarter: Quarter | None = None
    trajectory: Mapping[int, float] = field(default_factory=dict)  # quarter index -> planned value
    progress: float | None = None  # share of the way from baseline to target; lower is worse


def target_infos(
    targets: pd.DataFrame, figures: pd.DataFrame, metrics: Sequence[MetricDefinition], organisation_id: int,
    quarter: Quarter, breaks: Mapping[str, Sequence[int]] | None = None,
) -> dict[str, TargetInfo]:
    """What the pack needs per metric code from the stored targets, assessed as the Översikt cards do.

    The headline target is the planned one, else the 10x one (as :func:`metrics.targets.headline_status`).
    ``previous_status`` is the same target assessed a quarter earlier, so the pack can report flips.
    """
    if not len(targets):
        return {}
    mine = targets[targets["organisation_id"].astype(int) == organisation_id]
    by_id = {m.id or 0: (breaks or {}).get(m.code, []) for m in metrics}
    now = assessments(mine, figures, quarter, by_id)
    before = assessments(mine, figures, quarter - 1, by_id)
    rows = {(int(row["metric_id"]), str(row["kind"])): row for row in mine.to_dict("records")}
    infos = {}
    for metric in metrics:
        kind = next((k for k in KINDS if (metric.id, k) in rows), None)
        if kind is None:
            continue
        row, key = rows[(metric.id or 0, kind)], (organisation_id, metric.id or 0, kind)
        plan = plan_of(row)
        span = range(plan.baseline_quarter.index, plan.target_quarter.index + 1)
        infos[metric.code] = TargetInfo(
            status=now[key].status, previous_status=before[key].status, owner=str(row["owner"] or ""),
            target_value=plan.target_value, target_quarter=plan.target_quarter,
            trajectory={index: plan.trajectory(Quarter.from_index(index)) for index in span},
            progress=now[key].progress,
        )
    return infos


@dataclass(frozen=True)
class Series:
    name: str
    x: tuple[str, ...]
    y: tuple[float | None, ...]
    style: str = "solid"  # solid / dash / dot: lines are told apart by more than colour
    colour: str | None = None
    uncertain: tuple[bool, ...] = ()  # per point: estimated or preliminary, drawn hollow
    markers_only: bool = False  # events: a marker at each, never joined by a line


@dataclass(frozen=True)
class ChartSpec:
    """A chart as plain data; :mod:`reports.charts` draws it the same way for page, PDF and PPTX."""

    title: str
    y_title: str
    decimals: int
    series: tuple[Series, ...]
    alt: str


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ClipRef:
    """The customer's recorded call or video clip for the quarter: named in the PDF, embedded in the PPTX."""

    name: str
    mime: str
    size: int


@dataclass(frozen=True)
class Slide:
    kind: str
    title: str
    subtitle: str = ""
    bullets: tuple[str, ...] = ()
    table: Table | None = None
    chart: ChartSpec | None = None
    notes: str = ""
    metric_code: str = ""
    clip: ClipRef | None = None


@dataclass(frozen=True)
class BoardPack:
    organisation: str
    quarter: Quarter
    language: str
    as_of_text: str
    slides: tuple[Slide, ...]

    def titles(self) -> list[str]:
        return [slide.title for slide in self.slides]


@dataclass(frozen=True)
class DecisionLine:
    """A decision to follow up, as the pack needs it (the data layer's DecisionInfo fits)."""

    what: str
    owner: str
    due: Quarter | None
    done: bool


@dataclass(frozen=True)
class BoardInputs:
    organisation_id: int
    organisation_name: str
    quarter: Quarter
    language: str
    metrics: Sequence[MetricDefinition]
    figures: pd.DataFrame  # the organisation's figures, all quarters (figures_frame shape)
    peer_figures: pd.DataFrame  # the peer group's figures for the quarter (metrics.disclosure.peer_group)
    decisions: Sequence[Any] = ()  # DecisionLine-like: what, owner, due, done
    targets: Mapping[str, TargetInfo] = field(default_factory=dict)
    generated: dt.date = field(default_factory=clock.today)
    as_of: dt.datetime | None = None
    colour: str = "#0072B2"
    rule: Rule = field(default_factory=Rule)  # the disclosure rule's settings (data.settings)
    # The quarter's sign-off as it stood (``signoff_read``: it was looked up; None then: not signed off).
    signoff: SignOffInfo | None = None
    signoff_read: bool = False
    voice: Any = None  # CustomerVoiceInfo-like: quotes, clip_name, clip_mime, clip_size (data.customer_voice)
    experiments: Sequence[Any] = ()  # DecisionInfo-like with .experiment (data.decisions): followed up
    events: Sequence[Any] = ()  # EventInfo-like (data.events): quarter, kind, title, note, applies_to(code)


@dataclass(frozen=True)
class MetricLine:
    """One metric's quarter, with the numbers the slides need."""

    metric: MetricDefinition
    value: float | None
    status: str | None  # the figure's status: measured / estimated / preliminary
    comment: str
    change: float | None
    improved: bool | None
    worsened: bool  # worse than the previous quarter or the same quarter last year
    relative_change: float | None  # change in the metric's good direction, relative to before
    target: TargetInfo
    peer_median: float | None
    broken: bool = False  # a method change between the previous quarter and this one
    comment_by: str = ""  # who wrote the figure's comment (its latest revision), and when
    comment_at: dt.date | None = None


def build_board_pack(inputs: BoardInputs) -> BoardPack:
    """Every slide of the pack in agenda order."""
    lines = metric_lines(inputs)
    hardest = hardest_first(lines)
    shown_hardest = hardest[:MAX_HARDEST_SLIDES]
    slides: list[Slide] = [
        _title_slide(inputs, lines),
        _customer_slide(inputs, lines),
        _changes_slide(inputs, lines),
    ]
    slides += [_hardest_slide(inputs, line, number, len(shown_hardest)) for number, line in enumerate(shown_hardest, 1)]
    if not shown_hardest:
        slides.append(Slide("hardest", _t(inputs, "board.hardest.title"), bullets=(_t(inputs, "board.hardest.none"),),
                            notes=_t(inputs, "board.hardest.none")))
    slides.append(_rest_slide(inputs, lines, {line.metric.code for line in shown_hardest}))
    slides.append(_follow_up_slide(inputs))
    slides.append(_summary_slide(inputs, lines))
    return BoardPack(inputs.organisation_name, inputs.quarter, inputs.language, as_of_text(inputs), tuple(slides))


def metric_lines(inputs: BoardInputs) -> list[MetricLine]:
    """Per metric: this quarter's value, change, target information and the peer median."""
    summary = change_summary(inputs.figures, inputs.metrics, inputs.quarter, _breaks(inputs))
    lines = []
    for metric, row in zip(inputs.metrics, summary.itertuples(index=False), strict=True):
        by, at = _comment_author(inputs, metric) if isinstance(row.comment, str) and row.comment else ("", None)
        value = _number(row.value)
        previous = _number(row.previous)
        change = _number(row.change_previous)
        lines.append(MetricLine(
            metric=metric, value=value, status=row.status if isinstance(row.status, str) else None,
            comment=row.comment if isinstance(row.comment, str) else "",
            change=change, improved=row.improved_previous if isinstance(row.improved_previous, bool) else None,
            worsened=worse(row.improved_previous) or worse(row.improved_last_year),
            relative_change=relative_change(change, previous, metric),
            target=inputs.targets.get(metric.code, TargetInfo()),
            peer_median=_peer_median(inputs, metric), broken=bool(row.broken_previous),
            comment_by=by, comment_at=at,
        ))
    return lines


def _breaks(inputs: BoardInputs) -> Mapping[str, list[int]]:
    """Each metric's method changes (:mod:`metrics.breaks`), from the organisation's events."""
    changes = [(e.quarter.index, e.metric_code) for e in inputs.events if e.kind == "method_change"]
    return breaks_by_metric([m.code for m in inputs.metrics], changes)


def _comment_author(inputs: BoardInputs, metric: MetricDefinition) -> tuple[str, dt.date | None]:
    """Who last changed the quarter's figure (and so its comment), and on what day."""
    figures = inputs.figures
    if not len(figures) or "updated_by" not in figures.columns:
        return "", None
    cell = figures[(figures["metric_id"] == metric.id) & (figures["period"] == inputs.quarter.index)]
    if not len(cell):
        return "", None
    at = pd.Timestamp(cell["updated_at"].iloc[0])
    return str(cell["updated_by"].iloc[0]), None if pd.isna(at) else at.date()


def comment_text(inputs: BoardInputs, line: MetricLine) -> str:
    """The figure's comment with who wrote it and when (:func:`presentation.wording.comment_line`)."""
    if not line.comment_by:
        return f"«{line.comment}»"
    return comment_line(line.comment, line.comment_by, line.comment_at, inputs.language)


def metric_events(inputs: BoardInputs, metric: MetricDefinition) -> list[Any]:
    """The events concerning one metric within the chart's quarters."""
    first = _trend_quarters(inputs)[0]
    return [e for e in inputs.events if e.applies_to(metric.code) and first <= e.quarter <= inputs.quarter]


def event_text(inputs: BoardInputs, event: Any) -> str:
    """``2025 K2 · ny mätmetod: Ny enkät — sms i stället för papper``: for bullets and speaker notes."""
    note = f" — {event.note}" if event.note else ""
    return (f"{event.quarter.label(inputs.language)} · {_t(inputs, f'event.kind.{event.kind}')}: "
            f"{event.title}{note}")


def hardest_first(lines: Sequence[MetricLine]) -> list[MetricLine]:
    """The metrics the board should discuss first, worst first: :func:`metrics.changes.needing_attention`,
    the same order Översikt's "hardest first" uses."""
    by_id = {line.metric.id or 0: line for line in lines}
    standings = [Standing(line.metric.id or 0, line.target.status, line.target.progress, line.worsened,
                          line.relative_change) for line in lines]
    return [by_id[item.metric_id] for item in needing_attention(standings)]


def as_of_text(inputs: BoardInputs) -> str:
    """Every pack states which figures it shows: current ones, or as they stood at a moment."""
    if inputs.as_of is None:
        return _t(inputs, "board.as_of_current", date=format_date(inputs.generated, inputs.language))
    return _t(inputs, "board.as_of", date=format_date(inputs.as_of.date(), inputs.language))


# --- the slides -------------------------------------------------------------------------------


def _title_slide(inputs: BoardInputs, lines: Sequence[MetricLine]) -> Slide:
    uncertain = sum(1 for line in lines if line.status in ("estimated", "preliminary"))
    reported = sum(1 for line in lines if line.value is not None)
    quarter = inputs.quarter.label(inputs.language)
    bullets = (
        _t(inputs, "board.title_slide.date", date=format_date(inputs.generated, inputs.language)),
        _t(inputs, "board.title_slide.reported", count=reported, total=len(lines)),
        _t(inputs, "board.title_slide.uncertain", count=uncertain),
        as_of_text(inputs),
        *_signoff_bullets(inputs, lines),
    )
    return Slide(
        "title", _t(inputs, "board.title", organisation=inputs.organisation_name, quarter=quarter),
        subtitle=_t(inputs, "board.pack"), bullets=bullets, notes=" ".join(bullets),
    )


def _signoff_bullets(inputs: BoardInputs, lines: Sequence[MetricLine]) -> tuple[str, ...]:
    """Whether the board looks at vouched figures: signed off by whom and when, and what is missing."""
    if not inputs.signoff_read:
        return ()
    info = inputs.signoff
    bullets = [_t(inputs, "rounds.title_slide.not_signed_off") if info is None else _t(
        inputs, "rounds.title_slide.signed_off", who=info.signed_by, date=format_date(info.signed_at.date(), inputs.language))]
    missing = [line.metric.name(inputs.language) for line in lines if line.value is None]
    if missing:
        bullets.append(_t(inputs, "rounds.title_slide.missing", metrics=", ".join(missing)))
    if info is not None and info.note:
        bullets.append(_t(inputs, "rounds.title_slide.note", note=info.note))
    return tuple(bullets)


def _customer_slide(inputs: BoardInputs, lines: Sequence[MetricLine]) -> Slide:
    customer = [line for line in lines if line.metric.code in CUSTOMER_METRICS]
    bullets = [_value_sentence(inputs, line) for line in customer]
    comments = [f"{line.metric.name(inputs.language)}: {comment_text(inputs, line)}" for line in customer if line.comment]
    events = {e.id: e for line in customer for e in metric_events(inputs, line.metric)}
    comments += [_t(inputs, "event.bullet", events="; ".join(event_text(inputs, e) for e in events.values()))] \
        if events else []
    comments += [f"«{quote}»" for quote in (inputs.voice.quotes if inputs.voice else ())]
    bullets += comments or [_t(inputs, "board.customer.no_comments")]
    clip = _clip(inputs)
    if clip is not None:
        bullets.append(_t(inputs, "pack.voice.clip_line", name=clip.name, size=format_number(
            clip.size / 1_000_000, inputs.language, 1), kind=_t(inputs, f"pack.voice.kind.{clip.mime.split('/')[0]}")))
    chart = None
    if customer:
        styles = ("solid", "dash")
        chart = ChartSpec(
            title=_t(inputs, "board.customer.chart"),
            y_title=customer[0].metric.unit(inputs.language),
            decimals=customer[0].metric.decimals,
            series=tuple(
                part for i, line in enumerate(customer)
                for part in _broken_series(inputs, line.metric, _series(
                    inputs, line.metric, line.metric.name(inputs.language), styles[i % 2],
                    inputs.colour if i == 0 else "#555555"))
            ),
            alt=_t(inputs, "board.customer.alt", quarters=TREND_QUARTERS),
        )
    return Slide("customer_voice", _t(inputs, "board.customer.title"), bullets=tuple(bullets), chart=chart,
                 notes=" ".join(bullets), clip=clip)


def _clip(inputs: BoardInputs) -> ClipRef | None:
    voice = inputs.voice
    if voice is None or not voice.clip_name or not voice.clip_mime:
        return None
    return ClipRef(voice.clip_name, voice.clip_mime, voice.clip_size)


def _changes_slide(inputs: BoardInputs, lines: Sequence[MetricLine]) -> Slide:
    bullets: list[str] = []
    flips = [line for line in lines if line.target.status and line.target.previous_status
             and line.target.status != line.target.previous_status]
    for line in flips:
        bullets.append(_t(inputs, "board.changes.flip", metric=line.metric.name(inputs.language),
                          before=_status_text(inputs, line.target.previous_status),
                          now=_status_text(inputs, line.target.status)))
    moved = [line for line in lines if line.relative_change is not None and line.relative_change != 0]
    up = sorted((line for line in moved if line.improved), key=lambda line: -(line.relative_change or 0))[:MOVERS]
    down = sorted((line for line in moved if line.improved is False), key=lambda line: line.relative_change or 0)[:MOVERS]
    if up:
        bullets.append(_t(inputs, "board.changes.up", metrics=_mover_list(inputs, up)))
    if down:
        bullets.append(_t(inputs, "board.changes.down", metrics=_mover_list(inputs, down)))
    window = _trend_quarters(inputs)[0]
    shown = [e for e in inputs.events if window <= e.quarter <= inputs.quarter]
    if shown:
        bullets.append(_t(inputs, "event.bullet", events="; ".join(event_text(inputs, e) for e in shown)))
    missing = [line.metric.name(inputs.language) for line in lines if line.value is None]
    bullets.append(_t(inputs, "board.changes.missing", metrics=", ".join(missing)) if missing
                   else _t(inputs, "board.changes.none_missing"))
    return Slide("changes", _t(inputs, "board.changes.title"), bullets=tuple(bullets), notes=" ".join(bullets))


def _hardest_slide(inputs: BoardInputs, line: MetricLine, number: int, count: int) -> Slide:
    language, metric = inputs.language, line.metric
    status = line.target.status
    heading = _status_text(inputs, status) if status in ATTENTION_RANK else _t(inputs, "board.hardest.worsened")
    bullets = (
        _value_sentence(inputs, line),
        _t(inputs, "board.hardest.owner", owner=line.target.owner or _t(inputs, "board.no_owner")),
        _t(inputs, "board.hardest.target", target=_target_text(inputs, line)),
        _t(inputs, "board.hardest.trajectory", value=_format(inputs, line, line.target.trajectory.get(inputs.quarter.index))),
        _t(inputs, "board.hardest.peer_median", value=_format(inputs, line, line.peer_median))
        if line.peer_median is not None else _t(inputs, "board.hardest.peer_hidden"),
    ) + ((comment_text(inputs, line),) if line.comment else ())
    events = metric_events(inputs, metric)
    if events:
        bullets += (_t(inputs, "event.bullet", events="; ".join(event_text(inputs, e) for e in events)),)
    series = _broken_series(inputs, metric, _series(inputs, metric, inputs.organisation_name, "solid", inputs.colour))
    quarters = _trend_quarters(inputs)
    if line.target.trajectory:
        series.append(Series(_t(inputs, "board.chart.trajectory"), tuple(q.label(language) for q in quarters),
                             tuple(line.target.trajectory.get(q.index) for q in quarters), "dash", "#333333"))
    if line.peer_median is not None:
        series.append(Series(_t(inputs, "board.chart.peer_median"), (quarters[-1].label(language),),
                             (line.peer_median,), "dot", "#999999"))
    if events:
        series.append(_event_series(inputs, events, *series))
    chart = ChartSpec(
        title=metric.name(language), y_title=metric.unit(language), decimals=metric.decimals, series=tuple(series),
        alt=_t(inputs, "board.hardest.alt", metric=metric.name(language), quarters=TREND_QUARTERS),
    )
    return Slide(
        "hardest", _t(inputs, "board.hardest.slide_title", number=number, count=count,
                      metric=metric.name(language)),
        subtitle=heading, bullets=bullets, chart=chart, notes=" ".join(bullets), metric_code=metric.code,
    )


def _broken_series(inputs: BoardInputs, metric: MetricDefinition, series: Series) -> list[Series]:
    """The organisation's line, split at the latest method change in the chart: two lines with a
    gap between them, the later one named for the new method, so the chart shows the break."""
    cut = latest_break(_breaks(inputs).get(metric.code, []), inputs.quarter.index)
    quarters = _trend_quarters(inputs)
    if cut is None or cut <= quarters[0].index:
        return [series]
    before = tuple(v if q.index < cut else None for q, v in zip(quarters, series.y, strict=True))
    after = tuple(v if q.index >= cut else None for q, v in zip(quarters, series.y, strict=True))
    new = _t(inputs, "event.series_new_method", series=series.name)
    return [replace(series, y=before), replace(series, name=new, y=after)]


def _event_series(inputs: BoardInputs, events: Sequence[Any], *lines: Series) -> Series:
    """A marker at each event's quarter, on the organisation's line where it has a value."""
    values = {x: y for line in lines for x, y in zip(line.x, line.y, strict=True) if y is not None}
    labels = sorted({e.quarter.label(inputs.language) for e in events}, key=lambda x: lines[0].x.index(x))
    return Series(_t(inputs, "event.sheet"), tuple(labels), tuple(values.get(x, min(values.values(), default=0.0))
                                                                for x in labels),
                  "dot", "#CC79A7", markers_only=True)


def _rest_slide(inputs: BoardInputs, lines: Sequence[MetricLine], skip: set[str]) -> Slide:
    rest = [line for line in lines if line.metric.code not in skip and line.metric.code not in CUSTOMER_METRICS]
    columns = tuple(_t(inputs, key) for key in ("column.metric", "column.value", "column.change_previous"))
    rows = tuple((line.metric.name(inputs.language), _format(inputs, line, line.value), _change_text(inputs, line))
                 for line in rest)
    notes = " ".join(f"{row[0]}: {row[1]} ({row[2]})." for row in rows) + "".join(
        f" {line.metric.name(inputs.language)}: {comment_text(inputs, line)}." for line in rest if line.comment)
    return Slide("rest", _t(inputs, "board.rest.title"), table=Table(columns, rows), notes=notes)


def _experiment_bullets(inputs: BoardInputs) -> tuple[str, ...]:
    """Each experiment's metric before and since, against what was expected (:mod:`reports.experiments`)."""
    from reports.experiments import experiment_rows  # reports.experiments formats; this module assembles

    rows = experiment_rows(language=inputs.language, metrics=inputs.metrics, figures=inputs.figures,
                           events=inputs.events, decisions=inputs.experiments, quarter=inputs.quarter)
    return tuple(_t(inputs, "experiment.bullet", what=r[0], metric=r[1], before=r[2], since=r[3], change=r[4],
                    expected=r[5], caution=r[6], outcome=r[7], lesson=r[8]) for r in rows)


def _follow_up_slide(inputs: BoardInputs) -> Slide:
    title = _t(inputs, "board.follow_up.title")
    experiments = _experiment_bullets(inputs)
    if not inputs.decisions:
        text = _t(inputs, "board.follow_up.none")
        return Slide("follow_up", title, bullets=(text, *experiments), notes=" ".join((text, *experiments)))
    columns = tuple(_t(inputs, f"board.follow_up.{name}") for name in ("what", "owner", "due", "done"))
    rows = tuple(
        (d.what, d.owner or DASH, d.due.label(inputs.language) if d.due else DASH,
         _t(inputs, "board.follow_up.yes" if d.done else "board.follow_up.no"))
        for d in inputs.decisions
    )
    done = sum(1 for d in inputs.decisions if d.done)
    notes = _t(inputs, "board.follow_up.notes", done=done, count=len(rows)) + " " + " ".join(
        f"{row[0]} ({row[1]}, {row[2]}): {row[3]}." for row in rows) + "".join(f" {b}" for b in experiments)
    return Slide("follow_up", title, subtitle=_t(inputs, "board.follow_up.subtitle", done=done, count=len(rows)),
                 bullets=experiments, table=Table(columns, rows), notes=notes)


def _summary_slide(inputs: BoardInputs, lines: Sequence[MetricLine]) -> Slide:
    keys = ("column.metric", "column.value", "column.change_previous", "board.column.target", "board.column.status")
    rows = tuple(
        (line.metric.name(inputs.language), _format(inputs, line, line.value), _change_text(inputs, line),
         _target_text(inputs, line), _status_text(inputs, line.target.status))
        for line in lines
    )
    notes = " ".join(f"{row[0]}: {row[1]}, {row[2]}." for row in rows)
    return Slide("summary", _t(inputs, "board.summary"), table=Table(tuple(_t(inputs, k) for k in keys), rows),
                 notes=notes)


# --- pieces -----------------------------------------------------------------------------------


def _value_sentence(inputs: BoardInputs, line: MetricLine) -> str:
    """A sentence with the numbers spelled out: for the slide and the speaker notes."""
    name = line.metric.name(inputs.language)
    if line.value is None:
        return _t(inputs, "board.sentence.missing", metric=name)
    figure_status = _t(inputs, f"status.{line.status}") if line.status else ""
    return _t(inputs, "board.sentence.value", metric=name, value=_format(inputs, line, line.value),
              change=_change_text(inputs, line), status=figure_status.lower())


def _change_text(inputs: BoardInputs, line: MetricLine) -> str:
    return change_text(line.change, line.improved, line.metric, inputs.language, line.broken)


def _mover_list(inputs: BoardInputs, lines: Sequence[MetricLine]) -> str:
    return ", ".join(f"{line.metric.name(inputs.language)} {_change_text(inputs, line)}" for line in lines)


def _target_text(inputs: BoardInputs, line: MetricLine) -> str:
    target = line.target
    if target.target_value is None:
        return _t(inputs, "board.no_target")
    by = target.target_quarter.label(inputs.language) if target.target_quarter else DASH
    return _t(inputs, "board.target_by", value=_format(inputs, line, target.target_value), quarter=by)


def _status_text(inputs: BoardInputs, status: str | None) -> str:
    return status_text(status, inputs.language)


def _format(inputs: BoardInputs, line: MetricLine, value: float | None) -> str:
    return format_value(value, line.metric.unit_kind, line.metric.decimals, inputs.language)


def _trend_quarters(inputs: BoardInputs) -> list[Quarter]:
    return [inputs.quarter - offset for offset in reversed(range(TREND_QUARTERS))]


def _series(inputs: BoardInputs, metric: MetricDefinition, name: str, style: str, colour: str | None) -> Series:
    quarters = _trend_quarters(inputs)
    mine = inputs.figures[inputs.figures["metric_id"] == metric.id] if len(inputs.figures) else inputs.figures
    by_period = {int(p): float(v) for p, v in zip(mine["period"], mine["value"], strict=True)} if len(mine) else {}
    unsure = {int(p) for p, s in zip(mine["period"], mine["status"], strict=True)
              if s in ("estimated", "preliminary")} if len(mine) else set()
    return Series(name, tuple(q.label(inputs.language) for q in quarters),
                  tuple(by_period.get(q.index) for q in quarters), style, colour,
                  tuple(q.index in unsure for q in quarters))


def _peer_median(inputs: BoardInputs, metric: MetricDefinition) -> float | None:
    peers = inputs.peer_figures
    if not len(peers):
        return None
    cell = peers[(peers["metric_id"] == metric.id) & (peers["period"] == inputs.quarter.index)]
    return peer_statistics(cell, inputs.rule).median


def _number(value: object) -> float | None:
    return optional_number(value)


def _t(inputs: BoardInputs, key: str, **params: Any) -> str:
    return translate(key, inputs.language, **params)
