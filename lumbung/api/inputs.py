"""The shape (JSON types) of what the write endpoints accept. They check types only; the
rules are the web forms' and services' (views.py passes the data on to them)."""

from rest_framework import serializers

from lumbung.innovations.models import Innovation


def _text(**kwargs):
    return serializers.CharField(required=False, allow_blank=True, **kwargs)


def _date():
    return serializers.DateField(required=False, allow_null=True)


class InnovationInput(serializers.Serializer):
    unit = serializers.IntegerField(required=False, help_text="Nomor perangkat daerah.")
    name = _text(max_length=255)
    stage = serializers.ChoiceField(Innovation.Stage.choices, required=False)
    initiator_kind = serializers.ChoiceField(Innovation.InitiatorKind.choices, required=False)
    initiator_name = _text(max_length=200)
    is_digital = serializers.BooleanField(required=False)
    form = serializers.ChoiceField(Innovation.Form.choices, required=False)
    theme = serializers.IntegerField(required=False, allow_null=True)
    main_affair = serializers.IntegerField(required=False)
    related_affairs = serializers.ListField(child=serializers.IntegerField(), required=False)
    trial_date = _date()
    implementation_date = _date()
    development_date = _date()
    legal_basis = _text()
    problem = _text()
    strategic_issue = _text()
    method = _text()
    novelty = _text()
    workflow = _text()
    goals = _text()
    benefits = _text()
    results = _text()
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    longitude = serializers.DecimalField(max_digits=9, decimal_places=6, required=False, allow_null=True)
    replicates = serializers.IntegerField(required=False, allow_null=True)


class AnswerInput(serializers.Serializer):
    level = serializers.IntegerField(required=False, allow_null=True, help_text="Parameter 0–3.")
    measured_value = serializers.DecimalField(max_digits=16, decimal_places=4, required=False, allow_null=True)
    basis = serializers.IntegerField(required=False, allow_null=True, help_text="Dasar pengukuran (indikator 33).")
    note = _text()


class EvidenceInput(serializers.Serializer):
    title = serializers.CharField(max_length=255)
    year = serializers.IntegerField()
    number = _text(max_length=120)
    issued_on = _date()
    subject = _text(max_length=255)
    file = serializers.FileField(required=False)
    link = _text(max_length=500)


class AttachInput(serializers.Serializer):
    documents = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=100)
