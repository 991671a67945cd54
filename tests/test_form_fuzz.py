"""Every form of every page, fed generated input (Hypothesis): never a 500, and a rejected
submission writes nothing and says why.

The pages come from the URL resolver (``tests/urlwalk.py``) with their parameters filled as
in the permission matrix; the forms are read from each page's HTML, so a new page or a new
form is covered without new test code. Each submission runs inside a savepoint that is rolled
back afterwards, so an accepted one (a redirect without an error message) changes nothing
for the next. The number of examples per form is small and the generation derandomised, so
the run is the same on every machine and stays within CI's time.
"""

import datetime
import io
import os
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import Resolver404, resolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg import sql

from tests import factories
from tests.association.test_permissions import values_for
from tests.urlwalk import project_pages

# CI runs a few per form; SAMVERKA_FUZZ_EXAMPLES=500 searches deeper locally.
EXAMPLES_PER_FORM = int(os.environ.get("SAMVERKA_FUZZ_EXAMPLES", "10"))
# Posting to allauth or the Django admin tests their code, not ours (they have their own).
FOREIGN_PREFIXES = ("/accounts/", "/admin/")
# Tables a request may touch whatever it does with the submission.
UNWATCHED_TABLES = {"django_session"}


@dataclass
class FormField:
    name: str
    kind: str  # an <input> type, "select", "textarea" or "button"
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str  # the page the form was found on
    action: str
    method: str
    fields: dict[str, FormField] = field(default_factory=dict)

    @property
    def key(self) -> tuple:
        try:
            target = resolve(urlsplit(self.action).path).view_name
        except Resolver404:
            target = self.action
        return (self.method, target, tuple(sorted(self.fields)))


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: FormField | None = None
        self._option: dict | None = None
        self._textarea: FormField | None = None

    def handle_starttag(self, tag, attrs):
        attrs = {name: value or "" for name, value in attrs}
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            self._form = Form(self.page_url, action, attrs.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None or (tag not in {"input", "select", "option", "textarea", "button"}):
            return
        name = attrs.get("name")
        if tag == "option" and self._select is not None:
            self._option = attrs
            if "value" in attrs:
                self._select.options.append(attrs["value"])
                if "selected" in attrs:
                    self._select.value = attrs["value"]
        elif not name or "disabled" in attrs:
            return
        elif tag == "select":
            self._select = self._form.fields.setdefault(name, FormField(name, "select"))
        elif tag == "textarea":
            self._textarea = self._form.fields.setdefault(name, FormField(name, "textarea"))
        elif tag == "button":
            button = self._form.fields.setdefault(name, FormField(name, "button"))
            button.options.append(attrs.get("value", ""))
            button.value = button.value or attrs.get("value", "")
        else:
            kind = attrs.get("type", "text").lower()
            if kind in {"submit", "reset", "image"}:
                return
            current = self._form.fields.setdefault(name, FormField(name, kind))
            if kind in {"checkbox", "radio"}:
                current.options.append(attrs.get("value", "on"))
                if "checked" in attrs:
                    current.value = attrs.get("value", "on")
            else:
                current.value = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None and "value" not in self._option and self._select:
            self._select.options.append(data.strip())
            self._option["value"] = data.strip()

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "option":
            self._option = None
        elif tag == "textarea":
            self._textarea = None


def forms_on(url: str, html: str) -> list[Form]:
    parser = _FormParser(url)
    parser.feed(html)
    return [
        form
        for form in parser.forms
        if urlsplit(form.action).netloc in {"", "testserver"}
        and not urlsplit(form.action).path.startswith(FOREIGN_PREFIXES)
    ]


# --- what people (and attackers) type ----------------------------------------------------

NASTY = [
    "", " ", "\x00", "a\x00b", "-1", "0", "1e309", "NaN", "-Infinity", "9" * 40, "x" * 20_000,
    "<script>alert(1)</script>", "'; DROP TABLE x; --", "../../etc/passwd", "%s%n%x",
    "\u202eevil", "a\r\nb", "١٢٣", "true", "None", "[]", "{}", "02/03/2020", "9999-12-31",
    "1066-10-14", "0000-00-00", "2020-02-30", "20200230", "2/3 2020", "#12345", "#GGGGGG",
]  # fmt: skip

DATE_SHAPES = ["%Y-%m-%d", "%Y%m%d", "%d/%m/%Y", "%m/%d/%Y", "%d.%m.%Y", "%d/%m %Y", "%Y/%m/%d"]


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (30, 10), (0, 80, 122)).save(buffer, "PNG")
    return buffer.getvalue()


FILE_CONTENTS = [
    _png(),
    b"region;2023\n2580 Lule\xc3\xa5;80000\n",
    b"region;2023\n2580 Lule\xe5;80 000\n",
    b"kommunkod;kommun;\xc3\xa5r;folkm\xc3\xa4ngd\n2580;Lule\xc3\xa5;2024;80000\n",
    b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
]
FILE_NAMES = ["scb.csv", "logo.png", "logo.jpg", "data.txt", "noext", "../../x.csv", "a" * 300]

texts = st.text(st.characters(codec="utf-8"), max_size=60)
garbage = st.one_of(
    st.sampled_from(NASTY),
    texts,
    texts.map(lambda text: text + "\x00"),
    st.integers().map(str),
    st.floats().map(str),
    st.tuples(st.dates(), st.sampled_from(DATE_SHAPES)).map(lambda d: d[0].strftime(d[1])),
)
plausible_dates = st.dates(datetime.date(1940, 1, 1), datetime.date(2045, 12, 31)).map(
    datetime.date.isoformat
)
uploads = st.tuples(
    st.sampled_from(FILE_NAMES),
    st.one_of(st.sampled_from(FILE_CONTENTS), st.binary(max_size=2048)),
)


def typed(form_field: FormField) -> st.SearchStrategy:
    """Values of the field's own kind, which often pass its validation."""
    kind = form_field.kind
    if kind in {"select", "button", "radio", "checkbox"} and form_field.options:
        return st.sampled_from(form_field.options)
    if kind == "number":
        return st.one_of(
            st.integers(-5, 3000).map(str),
            st.decimals(-10, 10, allow_nan=False, places=2).map(str),
        )
    if kind == "date":
        return plausible_dates
    if kind == "email":
        return st.emails()
    if kind == "color":
        return st.from_regex(r"#[0-9a-f]{6}", fullmatch=True)
    if kind == "url":
        return st.sampled_from(["https://example.org/", "http://x", "javascript:alert(1)"])
    if form_field.name.endswith(("_on", "_date")):
        return plausible_dates
    return texts


def submissions(form: Form) -> st.SearchStrategy:
    """The form as rendered, with a generated set of its fields changed or left out."""

    @st.composite
    def build(draw):
        names = sorted(form.fields)
        changed = draw(st.sets(st.sampled_from(names), min_size=1)) if names else set()
        data = {}
        for name in names:
            form_field = form.fields[name]
            if form_field.kind == "file":
                if name in changed:  # else left empty, as a browser sends an unused file input
                    file_name, content = draw(uploads)
                    data[name] = ("file", file_name, content)
                continue
            if name not in changed:
                if form_field.kind in {"checkbox", "radio"} and not form_field.value:
                    continue
                data[name] = form_field.value
                continue
            choice = draw(st.sampled_from(["typed", "garbage", "missing"]))
            if choice == "missing":
                continue
            data[name] = draw(typed(form_field) if choice == "typed" else garbage)
        return data

    return build()


# --- the check -----------------------------------------------------------------------------


def table_fingerprints() -> dict[str, str]:
    """An md5 of every row of every table the project's models use: any insert, update or
    delete changes it."""
    tables = sorted(
        set(connection.introspection.django_table_names(only_existing=True)) - UNWATCHED_TABLES
    )
    query = sql.SQL(" UNION ALL ").join(
        sql.SQL(
            "SELECT {name}, md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), '')) "
            "FROM {table} t"
        ).format(name=sql.Literal(table), table=sql.Identifier(table))
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(query)
        return dict(cursor.fetchall())


def submit(client, form: Form, data: dict):
    payload = {
        name: SimpleUploadedFile(value[1], value[2]) if isinstance(value, tuple) else value
        for name, value in data.items()
    }
    if form.method == "post":
        return client.post(form.action, payload)
    return client.get(form.action, {k: v for k, v in payload.items() if isinstance(v, str)})


def is_accepted(response) -> bool:
    """A redirect without an error message; everything else is a refusal."""
    if response.status_code not in (301, 302, 303):
        return False
    return not any(m.level >= message_levels.ERROR for m in get_messages(response.wsgi_request))


def says_why(response) -> bool:
    text = response.content.decode(errors="replace")
    return 'class="errorlist' in text or "message--error" in text


def check_form(client, form: Form) -> None:
    where = f"{form.method.upper()} {form.action} (found on {form.page})"

    @settings(
        max_examples=EXAMPLES_PER_FORM, deadline=None, derandomize=True, database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )  # fmt: skip
    @given(data=submissions(form))
    def check(data):
        with transaction.atomic():
            before = table_fingerprints()
            response = submit(client, form, data)
            after = table_fingerprints()
            transaction.set_rollback(True)
        client.cookies.pop("messages", None)
        assert response.status_code < 500, f"{where}: {response.status_code}"
        if form.method != "post" or is_accepted(response):
            return
        changed = sorted(table for table in before if before[table] != after.get(table))
        assert not changed, f"{where} was refused ({response.status_code}) but wrote {changed}"
        if response.status_code == 200:
            assert says_why(response), f"{where} was refused without a message"

    check()


@pytest.fixture
def world(db):
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    from association.models import Association
    from association.tenancy import scopes_disabled
    from tests.association.test_permissions import _home_failed_delivery

    home = Association.objects.get(slug="norrbotten")
    with scopes_disabled():
        _home_failed_delivery(home)  # the delivery log's "send again" form
    return home


# Forms shown only to the people a record names (a platform admin never sees them): the
# adjuster's approval takes no input but its CSRF token; tests/meetings/test_record.py posts
# it as adjusters, other members, strangers and without a second factor.
SHOWN_ONLY_TO_NAMED_PEOPLE = {"meetings:approve"}


def discover_forms(client, home, user) -> dict[tuple, Form]:
    found: dict[tuple, Form] = {}
    for page in project_pages():
        if page.post_only:
            continue
        url = page.url(**values_for(page, home, user)) if page.params else page.url()
        response = client.get(url)
        assert response.status_code == 200 or response.status_code in (301, 302), url
        if "html" not in response.get("Content-Type", ""):
            continue
        for form in forms_on(url, response.content.decode()):
            found.setdefault(form.key, form)
    return found


def declare_a_conflict(home, user) -> None:
    """The button that withdraws a conflict of interest shows only to who declared one: the
    admin is co-opted to the board for the walk's meeting and declares one there."""
    from datetime import date

    from association.tenancy import scopes_disabled
    from governance.meetings.services import declare_conflict
    from governance.models import Body, Term
    from tests.association.test_permissions import _home_meeting

    with scopes_disabled():
        _meeting, item, _document = _home_meeting(home)
        board = Body.objects.get(association=home, slug="styrelse")
        term = Term.objects.get(association=home, starts_on=date(2027, 1, 1))
        person = factories.make_person(home, user=user)
        factories.assign(board, person, role="co_opted", term=term,
                         starts_on=term.starts_on, ends_on=term.ends_on)  # fmt: skip
        declare_conflict(item=item, user=user, reason="Prov")


def join_a_network(home, user) -> None:
    """A feedback round's answer form shows only to those it asks: the admin joins the
    network the walk's round asks (tests/association/test_permissions.py)."""
    from django.utils import timezone

    from association.tenancy import scopes_disabled
    from governance.models import Person
    from networks.models import Network
    from networks.services import add_member

    with scopes_disabled():
        network = Network.objects.filter(association=home).order_by("pk").first()
        person = Person.objects.filter(association=home, user=user).first()
        person = person or factories.make_person(home, user=user)
        add_member(network=network, actor=None, person=person, starts_on=timezone.localdate())


def test_every_form_survives_generated_input(client, world):
    admin = factories.make_platform_admin()
    client.force_login(admin, backend="django.contrib.auth.backends.ModelBackend")
    declare_a_conflict(world, admin)
    join_a_network(world, admin)
    forms = discover_forms(client, world, admin)
    # Every page that takes a POST must have been reached through a form on some page.
    targets = {key[1] for key in forms if key[0] == "post"}
    for page in project_pages():
        view_class = getattr(page.callback, "view_class", None)
        if page.name in SHOWN_ONLY_TO_NAMED_PEOPLE:
            continue
        if view_class is not None and hasattr(view_class, "post"):
            assert page.name in targets, f"no form found that posts to {page.name}"
    for form in forms.values():
        check_form(client, form)


def test_the_form_reader_finds_every_kind_of_field():
    html = """
    <form method="post" action="/accounts/logout/"><button>Log out</button></form>
    <form method="post" enctype="multipart/form-data">
      <input type="hidden" name="version" value="3"><input name="name" value="Förbund">
      <input type="checkbox" name="pro_rata" value="on" checked>
      <input type="file" name="logo"><input type="submit" name="go" value="x">
      <input name="locked" value="1" disabled>
      <select name="kind"><option value="a">A</option><option value="b" selected>B</option>
        <option>C</option></select>
      <textarea name="notes">Rad ett</textarea>
      <button type="submit" name="action" value="confirm"></button>
      <button type="submit" name="action" value="discard"></button>
    </form>"""
    (form,) = forms_on("/norrbotten/x/", html)
    assert (form.method, form.action) == ("post", "/norrbotten/x/")
    fields = {name: (f.kind, f.value, f.options) for name, f in form.fields.items()}
    assert fields == {
        "version": ("hidden", "3", []), "name": ("text", "Förbund", []),
        "pro_rata": ("checkbox", "on", ["on"]), "logo": ("file", "", []),
        "kind": ("select", "b", ["a", "b", "C"]), "notes": ("textarea", "Rad ett", []),
        "action": ("button", "confirm", ["confirm", "discard"]),
    }  # fmt: skip
