from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lumbung.core.forms import DateInput, KeepUploadsMixin, SafeFileField
from lumbung.frameworks.forms import indicator_choices
from lumbung.innovations.models import Innovation

from .models import Article, Category, Decree

ARTICLE_FILE_KINDS = ("pdf", "word", "excel", "slides")
MARKDOWN_HELP = _(
    "Markdown: baris kosong memisahkan paragraf; **tebal**, *miring*, # Judul, - butir daftar, "
    "1. daftar bernomor, [teks](https://alamat) untuk tautan, dan tabel dengan tanda |."
)


class MarkdownTextarea(forms.Textarea):
    def __init__(self, attrs=None):
        super().__init__(attrs={"rows": 20, "class": "markdown-source", "spellcheck": "true", **(attrs or {})})


class ArticleForm(KeepUploadsMixin, forms.Form):
    title = forms.CharField(label=_("Judul"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis"), choices=Article.Kind.choices)
    category = forms.ModelChoiceField(
        label=_("Kategori"), queryset=Category.objects.none(), required=False, empty_label=_("— tanpa kategori —")
    )
    visibility = forms.ChoiceField(label=_("Dapat dibaca oleh"), choices=Article.Visibility.choices)
    summary = forms.CharField(
        label=_("Ringkasan"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    body = forms.CharField(label=_("Isi"), widget=MarkdownTextarea(), help_text=MARKDOWN_HELP)
    indicator_code = forms.ChoiceField(label=_("Indikator terkait"), required=False)
    file = SafeFileField(kinds=ARTICLE_FILE_KINDS, label=_("Berkas unduhan (misalnya templat Word)"), required=False)
    remove_file = forms.BooleanField(label=_("Hapus berkas yang ada"), required=False)

    def __init__(self, *args, region, article=None, **kwargs):
        if article is not None:
            kwargs.setdefault(
                "initial",
                {
                    "title": article.title,
                    "kind": article.kind,
                    "category": article.category_id,
                    "visibility": article.visibility,
                    "summary": article.summary,
                    "body": article.body,
                    "indicator_code": article.indicator_code,
                },
            )
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.filter(region=region)
        self.fields["indicator_code"].choices = indicator_choices()
        if article is None or not article.file:
            del self.fields["remove_file"]


class CategoryForm(forms.ModelForm):
    class Meta:
        model = Category
        fields = ["name", "description", "order"]


class InnovationCheckboxes(forms.ModelMultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def label_from_instance(self, obj):
        return f"{obj.name} — {obj.unit_label} ({obj.get_status_display()})"


class DecreeGenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Bentuk"), choices=Decree.Kind.choices)
    year = forms.IntegerField(label=_("Tahun"), min_value=2000, max_value=2100)
    number = forms.CharField(label=_("Nomor (boleh dikosongkan)"), max_length=120, required=False)
    place = forms.CharField(
        label=_("Ditetapkan di"), max_length=120, required=False, help_text=_("Ibu kota daerah, misalnya Liwa.")
    )
    signed_on = forms.DateField(label=_("Tanggal penetapan (boleh dikosongkan)"), required=False, widget=DateInput())
    signer_name = forms.CharField(label=_("Nama kepala daerah"), max_length=200, required=False)
    innovations = InnovationCheckboxes(
        label=_("Inovasi yang ditetapkan"),
        queryset=Innovation.objects.none(),
        help_text=_("Inovasi yang sudah terbit terpilih lebih dulu; tambahkan atau hapus sesuai usulan."),
    )

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        innovations = (
            Innovation.objects.filter(region=region)
            .select_related("unit", "main_affair")
            .order_by("unit__name", "name")
        )
        self.fields["innovations"].queryset = innovations
        if not self.is_bound:
            self.fields["year"].initial = timezone.localdate().year
            self.fields["innovations"].initial = [
                innovation.pk for innovation in innovations if innovation.status == Innovation.Status.PUBLISHED
            ]


class DecreeForm(forms.ModelForm):
    class Meta:
        model = Decree
        fields = ["title", "body"]
        widgets = {"body": MarkdownTextarea(attrs={"rows": 30})}
        help_texts = {"body": MARKDOWN_HELP}


class SignedDecreeForm(KeepUploadsMixin, forms.Form):
    number = forms.CharField(label=_("Nomor SK/Perkada yang ditandatangani"), max_length=120)
    issued_on = forms.DateField(label=_("Tanggal penetapan"), widget=DateInput())
    file = SafeFileField(kinds=("pdf",), label=_("Pindaian SK yang sudah ditandatangani (PDF)"))
