"""Who sees and does what with decisions.

- Decisions (the register, a recommendation's status): the public sees public decisions
  (decision and item public) once locked, that is once their minutes are adjusted or they
  were adjusted at once; the body's members (an assignment today) and staff see all of the
  body's. The visibility is a filter in ``queries.visible_decisions``, so a decision one may
  not see is simply not found (404).
- Recording the member municipalities' answers: staff editors.
- Per capsulam: the chair of the body today circulates a proposal, or a staff editor does
  it on the chair's behalf (read-only staff may not). The body's members of the day it was
  circulated answer (a staff editor may record an answer a member gave in writing); the
  body's members and staff see it. Staff editors attach a passed
  proposal to a meeting and set the body's rule.
"""

from association.permissions import may_edit, may_view_internal
from governance.permissions import seated_bodies


def internal(request) -> bool:
    return may_view_internal(request)


def visible_bodies(request) -> dict[int, str]:
    return seated_bodies(request)


def may_circulate(request, body) -> bool:
    from governance.decisions.services import is_chair

    return may_edit(request) or is_chair(body, request.user)


def may_see_proposal(request, proposal) -> bool:
    if may_view_internal(request) or proposal.body_id in seated_bodies(request):
        return True
    user = request.user
    return user.is_authenticated and proposal.answers.filter(person__user=user).exists()
