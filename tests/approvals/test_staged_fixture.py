"""The approvals tests' pack loads, with its review section, as the real packs do."""

from jurisdictions.selectors import rule_pack


def test_the_staged_pack_names_its_stages_and_bodies(staged):
    spec = rule_pack(staged.jurisdiction).spec
    assert [s.code for s in spec.review.approval.stages] == [
        "fsr",
        "preliminary_design",
        "implementation_plan",
    ]
    assert [s.taker.department for s in spec.review.steps] == ["cloud_centre", None]
    assert {item.giver.department for item in spec.review.opinions.items} == {"secrecy", "police"}
