import io

import pytest

from association.tenancy import scopes_disabled
from tests import factories


def pdf_bytes(text: str = "Handling") -> bytes:
    """A small real PDF (pypdf), a page with nothing on it but a title."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_metadata({"/Title": text})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


def upload(name: str = "handling.pdf", content: bytes | None = None):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content or pdf_bytes(), content_type="application/pdf")


@pytest.fixture
def board(association):
    return factories.make_body(association, "styrelse", kind="board", name="Styrelsen")


@pytest.fixture
def people(association, board):
    """A board with a seat: a member with a personal substitute and two ordered substitutes,
    and a member of another body of the same association."""
    seat = factories.make_post(board, members=2, substitutes=3, label="Kommunerna")
    member = factories.make_member(board, seat=seat)
    with scopes_disabled():
        member_person = member.governance_people.get()
    personal = factories.make_user()
    personal_person = factories.make_person(association, user=personal)
    factories.assign(board, personal_person, role="substitute", seat=seat,
                     substitute_for=member_person)  # fmt: skip
    second = factories.make_person(association, email="andra@example.org")
    factories.assign(board, second, role="substitute", seat=seat, substitute_order=2)
    first = factories.make_person(association, email="forsta@example.org")
    factories.assign(board, first, role="substitute", seat=seat, substitute_order=1)
    other_body = factories.make_body(association, "beredning", kind="preparatory_committee")
    outsider = factories.make_member(other_body)
    return {
        "member": member, "member_person": member_person, "personal": personal,
        "personal_person": personal_person, "first": first, "second": second,
        "outsider": outsider, "other_body": other_body, "seat": seat,
    }  # fmt: skip
