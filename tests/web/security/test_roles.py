"""Every URL rule, requested anonymously and as each role, against an explicit matrix."""

import pytest

from tests.conftest import login

PUBLIC = "public"
STAFF = {"admin", "researcher"}
ALL_STAFF = {"admin", "researcher", "data_entry", "councillor"}
ROLES = ("admin", "researcher", "data_entry", "councillor")

# endpoint -> who may use it. A route missing here fails test_every_route_is_in_the_matrix.
MATRIX: dict[str, set[str] | str] = {
    "static": PUBLIC,
    "main.index": PUBLIC,
    "main.set_language": PUBLIC,
    "main.accessibility": PUBLIC,
    "main.dashboard": ALL_STAFF,
    "main.job_status": {"admin", "researcher", "data_entry"},
    "auth.login": PUBLIC,
    "auth.logout": ALL_STAFF,
    "auth.password": ALL_STAFF,
    "auth.code": PUBLIC,
    "auth.session_alive": PUBLIC,  # the keep-alive: alive false without a session
    "auth.mfa_setup": ALL_STAFF,
    "admin.index": {"admin"},
    "admin.users": {"admin"},
    "admin.change_role": {"admin"},
    "admin.toggle_active": {"admin"},
    "admin.log_out_user": {"admin"},
    "admin.audit_log": {"admin"},
    "register.index": STAFF,
    "register.show": STAFF,
    "register.commit": STAFF,
    "register.cancel": STAFF,
    "register.resume": STAFF,
    "register.problems": STAFF,
    "register.status": STAFF,
    "register.save_mapping": STAFF,
    "register.street_table": STAFF,
    "panels.index": STAFF,
    "panels.show": STAFF,
    "draws.index": STAFF,
    "draws.new": STAFF,
    "draws.show": STAFF,
    "draws.protocol": STAFF,
    "draws.selection": STAFF,
    "draws.verify": STAFF,
    "invitations.index": STAFF,
    "invitations.create_batch": STAFF,
    "invitations.batch": STAFF,
    "invitations.letters": STAFF,
    "invitations.reminders": STAFF,
    "invitations.download": STAFF,
    "invitations.mail": STAFF,
    "invitations.release_mail": STAFF,
    "invitations.calibration": STAFF,
    "invitations.template": STAFF,
    "invitations.profile_questions": STAFF,
    "invitations.monitor": STAFF,
    "invitations.member_list": STAFF,
    "invitations.member_action": STAFF,
    "invitations.paper_reply": {"admin", "researcher", "data_entry"},
    "invitations.lookup": {"admin", "researcher", "data_entry"},
    "join.code": PUBLIC,
    "join.token": PUBLIC,
    "join.unsubscribe": PUBLIC,
    "join.about": PUBLIC,
    "join.consent": PUBLIC,
    "join.contact": PUBLIC,
    "join.profile": PUBLIC,
    "join.confirm": PUBLIC,
    "join.done": PUBLIC,
    "join.decline": PUBLIC,
    "join.object_to_contact": PUBLIC,
    "join.stopped": PUBLIC,
    "join.member_link": PUBLIC,
    "join.member_page": PUBLIC,
    "join.member_leave": PUBLIC,
    "surveys.index": STAFF,
    "surveys.create": STAFF,
    "surveys.show": STAFF,
    "surveys.export": STAFF,
    "surveys.copy": STAFF,
    "surveys.change_status": STAFF,
    "surveys.translations": STAFF,
    "surveys.preview": STAFF,
    "surveys.assign": STAFF,
    "surveys.paper_batch": STAFF,
    "surveys.paper_status": STAFF,
    "surveys.paper_download": STAFF,
    "surveys.send_mail": STAFF,
    "surveys.release_mail": STAFF,
    "surveys.new_question": STAFF,
    "surveys.edit_question": STAFF,
    "surveys.delete_question": STAFF,
    "surveys.move_question": STAFF,
    "surveys.edit_section": STAFF,
    "surveys.delete_section": STAFF,
    "surveys.move_section": STAFF,
    "surveys.edit_meta": STAFF,
    "surveys.replace": STAFF,
    "respond.index": PUBLIC,
    "respond.token": PUBLIC,
    "respond.resume": PUBLIC,
    "respond.section": PUBLIC,
    "respond.save": PUBLIC,
    "respond.saved": PUBLIC,
    "respond.review": PUBLIC,
    "respond.submit": PUBLIC,
    "respond.done": PUBLIC,
    "respond.language": PUBLIC,
    "entry.index": {"admin", "researcher", "data_entry"},
    "entry.start": {"admin", "data_entry"},
    "entry.keying": {"admin", "data_entry"},
    "entry.save": {"admin", "data_entry"},
    "entry.release": {"admin", "data_entry"},
    "entry.overview": STAFF,
    "entry.slip_overview": STAFF,
    "entry.change_setting": STAFF,
    "entry.conflict": STAFF,
    "entry.resolve": STAFF,
    "results.index": {"admin", "researcher", "councillor"},
    "results.survey": STAFF,
    "results.weigh": STAFF,
    "results.weight_set": STAFF,
    "results.generate": STAFF,
    "results.reweigh": STAFF,
    "results.remove": STAFF,
    "results.publish": STAFF,
    "results.report": {"admin", "researcher", "councillor"},
    "results.download": {"admin", "researcher", "councillor"},
    "privacy.index": STAFF,
    "privacy.new_study": STAFF,
    "privacy.study": STAFF,
    "privacy.retention_page": STAFF,
    "privacy.anonymise": STAFF,
    "privacy.dpia_annex": STAFF,
    "privacy.notice": PUBLIC,
    "privacy.requests": STAFF,
    "privacy.request": STAFF,
    "privacy.search": STAFF,
    "privacy.link": STAFF,
    "privacy.export": STAFF,
    "privacy.step": STAFF,
    "juries.index": {"admin", "researcher", "councillor"},
    "juries.overview": {"admin", "researcher", "councillor"},
    "juries.new": STAFF,
    "juries.show": STAFF,
    "juries.invite": STAFF,
    "juries.letters": STAFF,
    "juries.mail": STAFF,
    "juries.add_panel": STAFF,
    "juries.upload": STAFF,
    "juries.quotas": STAFF,
    "juries.publish": STAFF,
    "juries.replace": STAFF,
    "juries.seed": STAFF,
    "juries.withdraw": STAFF,
    "juries.verify": STAFF,
    "juries.protocol": STAFF,
    "juries.members_export": STAFF,
    "juries.lottery": PUBLIC,
    "juries.lottery_portfolio": PUBLIC,
    "juries.lottery_pool": STAFF,
    "juries.candidacy_code": PUBLIC,
    "juries.candidacy_token": PUBLIC,
    "juries.candidacy": PUBLIC,
    "juries.candidacy_done": PUBLIC,
    "juries.candidacy_unsubscribe": PUBLIC,
    "juries.candidacy_decline": PUBLIC,
    "juries.candidacy_object": PUBLIC,
    "juries.candidacy_stopped": PUBLIC,
}


def _sample_value(converter):
    kind = type(converter).__name__
    if kind == "IntegerConverter":
        return 1
    if kind == "AnyConverter":
        return sorted(converter.items)[0]
    return "x"


def _requests(app):
    for rule in app.url_map.iter_rules():
        values = {name: _sample_value(converter) for name, converter in rule._converters.items()}
        if rule.endpoint == "static":
            values = {"filename": "style.css"}
        with app.test_request_context():
            url = app.url_for(rule.endpoint, **values)
        for method in sorted(rule.methods & {"GET", "POST"}):
            yield rule.endpoint, method, url


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - MATRIX.keys() == set(), "add new routes to MATRIX"
    assert MATRIX.keys() - endpoints == set(), "remove stale routes from MATRIX"


def test_every_view_declares_its_roles(app):
    undeclared = [endpoint for endpoint, view in app.view_functions.items()
                  if endpoint != "static" and not hasattr(view, "allowed_roles")]
    assert undeclared == []


def test_declared_roles_match_the_matrix(app):
    for endpoint, view in app.view_functions.items():
        if endpoint == "static":
            continue
        declared = view.allowed_roles
        expected = MATRIX[endpoint]
        assert declared == expected or set(declared) == expected, endpoint


def _denied(response) -> bool:
    if response.status_code in (401, 403):
        return True
    return response.status_code == 302 and "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [None, *ROLES])
def test_role_matrix(app, client, make_user, role):
    if role:
        login(client, make_user(role))
    failures = []
    for endpoint, method, url in _requests(app):
        if endpoint == "auth.logout":
            continue  # would end the session mid-test; covered in test_auth
        allowed = MATRIX[endpoint] == PUBLIC or (role is not None and role in MATRIX[endpoint])
        response = client.open(url, method=method)
        response.close()
        if allowed == _denied(response):
            failures.append(f"{method} {url} as {role}: {response.status_code}")
        if response.status_code >= 500:
            failures.append(f"{method} {url} as {role}: server error")
    assert failures == []
