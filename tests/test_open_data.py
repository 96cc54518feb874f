"""Open data: who may publish (audited), what is published (measured only unless chosen), the
CSV and JSON files and the DCAT-AP-SE catalogue from a live server; an organisation that has not
published never appears anywhere."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from rdflib import RDF, Graph, URIRef
from rdflib import namespace as rdf_terms
from sqlalchemy import select

from data.accounts import actor_for
from data.actors import SYSTEM, PermissionDenied
from data.bootstrap import prepare_database
from data.db import dispose_engine, reading, writing
from data.models import AuditEvent
from data.open_data import published_figures, set_open_data
from data.organisations import list_organisations
from tests.conftest import TODAY
from tools.live_server import running_server

BASE = "https://effekt.example.se"
CC_BY = "http://creativecommons.org/licenses/by/4.0/"


def _ids(url: str) -> dict[str, int]:
    with reading(url) as session:
        return {o.code: o.id for o in list_organisations(session=session)}


def test_only_own_editors_and_administrators_publish_and_each_choice_is_audited(demo_url):
    ids = _ids(demo_url)
    with reading(demo_url) as session:
        editor = actor_for(session=session, username="demo-editor", origin="test")
        viewer = actor_for(session=session, username="demo-viewer", origin="test")
    for actor, code in ((editor, "demo-granlunda"), (viewer, "demo-granlunda")):
        with pytest.raises(PermissionDenied), writing(demo_url) as session:
            set_open_data(session=session, actor=actor, organisation_id=ids[code], published=True)
    with writing(demo_url) as session:
        set_open_data(session=session, actor=editor, organisation_id=ids["demo-ekbacka"], published=True)
    with reading(demo_url) as session:
        actions = list(session.scalars(select(AuditEvent.action).where(AuditEvent.action.in_(
            ["organisation.open_data", "permission.denied"])).order_by(AuditEvent.id)))
        published = published_figures(session=session)
    assert actions == ["permission.denied", "permission.denied", "organisation.open_data"]
    assert set(published["organisation_id"]) == {ids["demo-ekbacka"]}
    assert set(published["status"]) == {"measured"}


def test_estimated_and_preliminary_figures_are_published_only_when_chosen(demo_url):
    ids = _ids(demo_url)
    with writing(demo_url) as session:
        set_open_data(session=session, actor=SYSTEM, organisation_id=ids["demo-ekbacka"], published=True,
                      include_uncertain=True)
    with reading(demo_url) as session:
        statuses = set(published_figures(session=session)["status"])
    assert statuses == {"measured", "estimated", "preliminary"}


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory):
    url = f"sqlite:///{tmp_path_factory.mktemp('open') / 'effekt.db'}"
    prepare_database(url, demo_if_empty=True, today=TODAY)
    ids = _ids(url)
    with writing(url) as session:
        set_open_data(session=session, actor=SYSTEM, organisation_id=ids["demo-ekbacka"], published=True)
        set_open_data(session=session, actor=SYSTEM, organisation_id=ids["demo-granlunda"], published=True)
    env = {"EFFEKT_BASE_URL": BASE, "EFFEKT_OPEN_DATA_LICENCE": "CC-BY-4.0", "EFFEKT_DEMO_ON_EMPTY": "0",
           "EFFEKT_OPEN_DATA_PUBLISHER": "Exempelkommunernas förbund"}
    with running_server(url, env) as server:
        yield server.base
    dispose_engine(url)


def test_the_csv_and_json_hold_only_published_measured_figures_with_definitions_and_licence(served):
    csv_answer = httpx.get(f"{served}/opendata/v1/figures.csv", timeout=30)
    json_answer = httpx.get(f"{served}/opendata/v1/figures.json", timeout=30)
    rows = list(csv.DictReader(io.StringIO(csv_answer.text)))
    body = json_answer.json()
    assert csv_answer.headers["content-type"] == "text/csv; charset=utf-8"
    assert csv_answer.headers["link"] == f'<{CC_BY}>; rel="license"'
    assert {r["organisation"] for r in rows} == {"demo-ekbacka", "demo-granlunda"}
    assert {r["status"] for r in rows} == {"measured"}
    assert body["licence"] == {"iri": CC_BY, "name": "CC BY 4.0"}
    assert len(body["figures"]) == len(rows) > 0
    assert {m["code"] for m in body["metrics"]} == {r["metric"] for r in rows}
    satisfaction = next(m for m in body["metrics"] if m["code"] == "customer_satisfaction")
    assert satisfaction["name"] == {"sv": "Kundnöjdhet", "en": "Customer satisfaction"}
    one = httpx.get(f"{served}/opendata/v1/figures.csv?organisation=demo-granlunda", timeout=30).text
    assert {r["organisation"] for r in csv.DictReader(io.StringIO(one))} == {"demo-granlunda"}
    assert "demo-bjorkhamn" not in csv_answer.text
    assert "Björkhamn" not in json_answer.text


def test_the_dcat_catalogue_parses_back_with_its_classes_properties_and_exact_licence(served):
    answer = httpx.get(f"{served}/datasets/dcat", timeout=30)
    assert answer.headers["content-type"] == "application/rdf+xml; charset=utf-8"
    graph = Graph().parse(data=answer.content, format="xml")
    catalogue = URIRef(f"{BASE}/datasets/dcat")
    assert (catalogue, RDF.type, rdf_terms.DCAT.Catalog) in graph
    assert (catalogue, rdf_terms.DCTERMS.license, URIRef(CC_BY)) in graph
    publisher = graph.value(catalogue, rdf_terms.DCTERMS.publisher)
    assert str(graph.value(publisher, rdf_terms.FOAF.name)) == "Exempelkommunernas förbund"
    datasets = sorted(str(d) for d in graph.objects(catalogue, rdf_terms.DCAT.dataset))
    assert datasets == [f"{BASE}/datasets/demo-ekbacka", f"{BASE}/datasets/demo-granlunda"]
    for dataset in map(URIRef, datasets):
        assert (dataset, RDF.type, rdf_terms.DCAT.Dataset) in graph
        assert {str(t.language) for t in graph.objects(dataset, rdf_terms.DCTERMS.title)} == {"sv", "en"}
        assert graph.value(dataset, rdf_terms.DCTERMS.publisher) is not None
        assert graph.value(dataset, rdf_terms.DCAT.contactPoint) is not None
        distributions = list(graph.objects(dataset, rdf_terms.DCAT.distribution))
        assert len(distributions) == 2
        for distribution in distributions:
            assert (distribution, RDF.type, rdf_terms.DCAT.Distribution) in graph
            assert (distribution, rdf_terms.DCTERMS.license, URIRef(CC_BY)) in graph
            assert str(graph.value(distribution, rdf_terms.DCAT.accessURL)).startswith(f"{BASE}/opendata/v1/figures.")
    iris = {str(node) for triple in graph for node in triple if isinstance(node, URIRef)}
    assert all(iri.startswith(("https://", "http://")) for iri in iris)
    assert "demo-bjorkhamn" not in answer.text
    assert "Björkhamn" not in answer.text
