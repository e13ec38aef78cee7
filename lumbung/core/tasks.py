"""The Django Tasks API, from Django itself (6.x) or from the django-tasks backport (5.2)."""

try:  # pragma: no cover - depends on the Django version
    from django.tasks import task
except ImportError:  # Django 5.2
    from django_tasks import task

__all__ = ["task"]
