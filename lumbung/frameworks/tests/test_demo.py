from lumbung.core.demo import Demo
from lumbung.core.roles import Role
from lumbung.frameworks import demo
from lumbung.frameworks.models import Framework
from lumbung.frameworks.services import framework_problems
from tests.factories import RegionFactory, user_with_role


def test_the_demo_starts_a_consistent_2027_draft(frameworks):
    admin = user_with_role(Role.NATIONAL_ADMIN)
    demo.load(Demo(region=RegionFactory(code="18.04"), users={"national_admin": admin}))
    draft = Framework.objects.get(year=2027)
    assert (draft.status, draft.min_divisor, draft.basic_services_required) == ("draft", 14, 6)
    assert "Tabel prognosis" in draft.unconfirmed["min_divisor"]
    assert framework_problems(draft) == []
    assert draft.history.latest().history_change_reason == "Prognosis pedoman 2026"
