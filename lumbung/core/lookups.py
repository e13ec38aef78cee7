"""Query lookups the project adds to Django's."""

from django.db.models import IntegerField
from django.db.models.lookups import In


@IntegerField.register_lookup
class IntegerFieldIn(In):
    """`__in` on an integer column leaves out values the column cannot hold.

    Django does this for `exact`, `gt`, `lt`, ... (an out-of-range value matches nothing) but not
    for `in`, where SQLite raises OverflowError: a form posting `?officials=10**20` to a
    ModelMultipleChoiceField would end in a server error instead of "pilihan tidak valid".
    """

    def as_sql(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value
                for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().as_sql(compiler, connection)
