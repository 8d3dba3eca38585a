"""Response templates: admins keep them; features read them by type and state."""

from tests.factories import create_response_template
from webapp.staff.responses import replies_for, templates_for


def test_templates_for_a_type_and_state_are_listed_by_title(app_context):
    create_response_template(title="B 已派员")
    create_response_template(title="A 已受理")
    create_response_template(state="closed", title="已销号")
    create_response_template(subject_type="training", title="培训")
    assert [t.title for t in templates_for("hazard", "investigating")] == ["A 已受理", "B 已派员"]


def test_a_state_change_form_gets_both_texts_of_each_template(app_context):
    create_response_template(title="已受理", body_zh="已受理。", body_en="Accepted.")
    (reply,) = replies_for("hazard", "investigating")
    assert (reply.title, reply.zh, reply.en) == ("已受理", "已受理。", "Accepted.")
    assert reply.text_for("en") == "Accepted." and reply.text_for("zh") == "已受理。"
    assert replies_for("hazard", "closed") == []


def test_a_reply_without_english_falls_back_to_chinese(app_context):
    create_response_template(body_en="")
    (reply,) = replies_for("hazard", "investigating")
    assert reply.text_for("en") == reply.zh
