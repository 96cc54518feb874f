"""Open data over HTTP: the published figures as CSV and JSON, and a DCAT-AP-SE catalogue.

No token needed: only organisations that chose to publish appear (data/open_data.py), with
their measured figures (estimated and preliminary ones only where they chose so), the metric
definitions and the licence. ``/datasets/dcat`` describes one dataset per published
organisation with its two distributions, in RDF/XML made with rdflib, every IRI absolute from
``EFFEKT_BASE_URL`` so the Swedish data portal can harvest it.
"""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import quote

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from data.catalogue_store import list_metrics
from data.db import reading
from data.open_data import Publication, licence, publications, published_figures
from data.settings import get_settings
from metrics.cells import number, text, whole
from metrics.periods import Quarter

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
COLUMNS = ["organisation", "organisation_name", "metric", "metric_name_sv", "metric_name_en", "unit",
           "period", "value", "status", "comment"]
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}


def _rows(organisation: str | None) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The published figures as rows, and the definitions of the metrics."""
    with reading() as session:
        names = {p.organisation_id: p for p in publications(session=session)}
        metrics = {m.id: m for m in list_metrics(session=session, include_inactive=True)}
        frame = published_figures(session=session, organisation_code=organisation)
    rows: list[dict[str, Any]] = []
    for r in frame.itertuples():
        place, metric = names[whole(r.organisation_id)], metrics[whole(r.metric_id)]
        rows.append({
            "organisation": place.code, "organisation_name": place.name,
            "metric": metric.code, "metric_name_sv": metric.name_sv,
            "metric_name_en": metric.name_en, "unit": metric.unit_en,
            "period": str(Quarter.from_index(whole(r.period))), "value": number(r.value), "status": text(r.status),
            "comment": text(r.comment),
        })
    used = sorted({r["metric"] for r in rows})
    definitions = [{
        "code": m.code, "name": {"sv": m.name_sv, "en": m.name_en}, "unit": {"sv": m.unit_sv, "en": m.unit_en},
        "definition": {"sv": m.definition_sv, "en": m.definition_en}, "direction": m.direction,
    } for m in metrics.values() if m.code in used]
    return rows, definitions


def _licence_link() -> dict[str, str]:
    iri, _name = licence(get_settings().open_data_licence)
    return {"link": f'<{iri}>; rel="license"', "access-control-allow-origin": "*"}


async def figures_csv(request: Request) -> Response:
    rows, _definitions = await run_in_threadpool(_rows, request.query_params.get("organisation"))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return Response(out.getvalue().encode("utf-8"), media_type="text/csv; charset=utf-8", headers=_licence_link())


async def figures_json(request: Request) -> Response:
    rows, definitions = await run_in_threadpool(_rows, request.query_params.get("organisation"))
    iri, name = licence(get_settings().open_data_licence)
    body = {"licence": {"iri": iri, "name": name}, "metrics": definitions, "figures": rows}
    return JSONResponse(body, media_type="application/json; charset=utf-8", headers=_licence_link())


def catalogue_graph(base: str, publisher: str, licence_iri: str, published: list[Publication]) -> Graph:
    """The DCAT-AP-SE catalogue: the catalogue, its publisher, one dataset per organisation."""
    graph = Graph()
    graph.bind("dcat", DCAT)
    graph.bind("dct", DCTERMS)
    graph.bind("foaf", FOAF)
    graph.bind("vcard", VCARD)
    catalogue, operator = URIRef(f"{base}/datasets/dcat"), URIRef(f"{base}/#publisher")
    licence_ref = URIRef(licence_iri)
    graph.add((catalogue, RDF.type, DCAT.Catalog))
    _texts(graph, catalogue, DCTERMS.title, "Effekt – öppna data om digitaliseringens effekter",
           "Effekt – open data on the effects of digitalisation")
    _texts(graph, catalogue, DCTERMS.description,
           "Kvartalsvisa effektmått för offentlig sektor från organisationer som valt att publicera dem.",
           "Quarterly effect metrics of public-sector organisations that chose to publish them.")
    graph.add((catalogue, DCTERMS.publisher, operator))
    graph.add((catalogue, DCTERMS.license, licence_ref))
    graph.add((catalogue, FOAF.homepage, URIRef(f"{base}/")))
    graph.add((operator, RDF.type, FOAF.Agent))
    graph.add((operator, FOAF.name, Literal(publisher)))
    for publication in published:
        graph.add((catalogue, DCAT.dataset, _dataset(graph, base, licence_ref, publication)))
    return graph


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, swedish: str, english: str) -> None:
    graph.add((subject, predicate, Literal(swedish, lang="sv")))
    graph.add((subject, predicate, Literal(english, lang="en")))


def _dataset(graph: Graph, base: str, licence_ref: URIRef, publication: Publication) -> URIRef:
    code = quote(publication.code, safe="")
    dataset, agent = URIRef(f"{base}/datasets/{code}"), URIRef(f"{base}/datasets/{code}#publisher")
    contact = URIRef(f"{base}/datasets/{code}#contact")
    graph.add((dataset, RDF.type, DCAT.Dataset))
    _texts(graph, dataset, DCTERMS.title, f"Effektmått för {publication.name}", f"Effect metrics of {publication.name}")
    _texts(graph, dataset, DCTERMS.description,
           f"{publication.name}s kvartalsvisa effektmått för digitalisering i Effekt.",
           f"The quarterly digitalisation effect metrics of {publication.name} in Effekt.")
    graph.add((dataset, DCTERMS.publisher, agent))
    graph.add((agent, RDF.type, FOAF.Agent))
    graph.add((agent, FOAF.name, Literal(publication.name)))
    graph.add((dataset, DCAT.contactPoint, contact))
    graph.add((contact, RDF.type, VCARD.Organization))
    graph.add((contact, VCARD.fn, Literal(publication.name)))
    graph.add((dataset, DCAT.keyword, Literal("digitalisering", lang="sv")))
    graph.add((dataset, DCAT.keyword, Literal("digitalisation", lang="en")))
    graph.add((dataset, DCTERMS.accrualPeriodicity, URIRef("http://publications.europa.eu/resource/authority/frequency/QUARTERLY")))
    for kind in ("csv", "json"):
        graph.add((dataset, DCAT.distribution, _distribution(graph, base, code, kind, licence_ref)))
    return dataset


def _distribution(graph: Graph, base: str, code: str, kind: str, licence_ref: URIRef) -> URIRef:
    url = URIRef(f"{base}/opendata/v1/figures.{kind}?organisation={code}")
    distribution = URIRef(f"{base}/datasets/{code}#{kind}")
    graph.add((distribution, RDF.type, DCAT.Distribution))
    graph.add((distribution, DCAT.accessURL, url))
    graph.add((distribution, DCAT.downloadURL, url))
    graph.add((distribution, DCAT.mediaType, URIRef(f"http://www.iana.org/assignments/media-types/{MEDIA_TYPES[kind]}")))
    graph.add((distribution, DCTERMS.format, URIRef(f"http://publications.europa.eu/resource/authority/file-type/{kind.upper()}")))
    graph.add((distribution, DCTERMS.license, licence_ref))
    graph.add((distribution, DCTERMS.title, Literal(kind.upper(), datatype=XSD.string)))
    return distribution


def _catalogue_xml() -> bytes:
    settings = get_settings()
    with reading() as session:
        published = publications(session=session)
    graph = catalogue_graph(settings.public_base_url, settings.open_data_publisher,
                            licence(settings.open_data_licence)[0], published)
    return graph.serialize(format="pretty-xml", encoding="utf-8")


async def dcat_catalogue(_request: Request) -> Response:
    return Response(await run_in_threadpool(_catalogue_xml), media_type="application/rdf+xml; charset=utf-8",
                    headers={"access-control-allow-origin": "*"})


ROUTES = [
    Route("/opendata/v1/figures.csv", figures_csv, methods=["GET"]),
    Route("/opendata/v1/figures.json", figures_json, methods=["GET"]),
    Route("/datasets/dcat", dcat_catalogue, methods=["GET"]),
]
