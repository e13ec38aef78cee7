from lumbung.notifications.models import Notification
from tests.sweep import SweepCase


def cases(world):
    other = Notification.objects.create(recipient=world.other_admin, title="Milik orang lain", url="/beranda/")
    return {"notifications:open": SweepCase.foreign(pk=other.pk)}
