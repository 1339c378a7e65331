import re
from datetime import date

from django import forms
from django.conf import settings

from knowledge.models import FIELD_KEYS
from volunteerkm.thai import BE_OFFSET, fold_digits, thai_digits

from .models import DraftChapter, DraftItem

# What each field of the "1 หน่วยงาน 1 KM" template asks for, shown under its box.
FIELD_HINTS = {
    "team": "ชื่อและตำแหน่งของคณะทำงาน KM",
    "topic": "ประเด็นความรู้ที่หน่วยงานเลือกจัดการ",
    "origin": "เหตุใดจึงเลือกประเด็นนี้",
    "objectives": "ต้องการให้เกิดอะไรขึ้น",
    "steps": "ทีมทำอะไรบ้าง ตามลำดับ",
    "knowledge": "สรุปองค์ความรู้ที่ได้ (รายละเอียดเขียนเป็นหมวดและเรื่องด้านล่าง)",
    "dissemination": "เผยแพร่ทางใด ถึงใคร",
    "outcomes": "ผลที่เห็นได้จริง",
    "success-factors": "อะไรช่วยให้สำเร็จ",
    "problems": "ปัญหาหรืออุปสรรคที่พบ",
    "evaluation": "วัดผลการจัดการความรู้อย่างไร",
    "suggestions": "ข้อเสนอแนะสำหรับหน่วยงานอื่น",
}
MARKDOWN = forms.Textarea(attrs={"rows": 5})


class ThaiDateField(forms.DateField):
    """A date typed as วัน/เดือน/ปี พ.ศ. (e.g. 31/12/2569, Thai digits too); shown the same way."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "placeholder": "วว/ดด/ปปปป"})
    default_error_messages = {"invalid": "กรุณาพิมพ์วันที่เป็น วัน/เดือน/ปี พ.ศ. เช่น ๓๑/๓/๒๕๗๐"}

    def prepare_value(self, value):
        if isinstance(value, date):
            return f"{value.day}/{value.month}/{value.year + BE_OFFSET}"
        return value

    def to_python(self, value):
        value = fold_digits((value or "").strip())
        if not value:
            return None
        match = re.fullmatch(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})", value)
        if not match:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        day, month, year = (int(g) for g in match.groups())
        if year > 2400:
            year -= BE_OFFSET
        try:
            return date(year, month, day)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None


class DraftForm(forms.Form):
    """The KM's title and the 12 fields of the template; a new KM also names its unit and first chapter."""

    title = forms.CharField(label="ชื่อเรื่อง KM", max_length=300)
    project = forms.CharField(label="โครงการ (ถ้ามี)", max_length=300, required=False)

    def __init__(self, *args, units=None, new=False, **kwargs):
        super().__init__(*args, **kwargs)
        if new:
            self.fields["unit"] = forms.ModelChoiceField(label="หน่วยงาน", queryset=units, empty_label=None)
            self.fields["chapter"] = forms.CharField(label="ชื่อหมวดแรกของความรู้", max_length=300,
                                                     initial="ความรู้ที่ควรรู้")
        for n, (key, title) in enumerate(FIELD_KEYS, start=1):
            self.fields[f"f_{key}"] = forms.CharField(label=f"{thai_digits(n)}. {title}", required=False,
                                                      widget=MARKDOWN, help_text=FIELD_HINTS.get(key, ""))

    def field_values(self):
        return {key: self.cleaned_data.get(f"f_{key}", "").strip() for key, _ in FIELD_KEYS}

    def template_fields(self):
        return [self[f"f_{key}"] for key, _ in FIELD_KEYS]


class ChapterForm(forms.ModelForm):
    class Meta:
        model = DraftChapter
        fields = ["number", "title", "summary"]
        widgets = {"summary": MARKDOWN}


class ItemForm(forms.ModelForm):
    review_by = ThaiDateField(label="ทบทวนภายใน (วัน/เดือน/ปี พ.ศ.)", required=False,
                              help_text="เช่น ๓๑/๓/๒๕๗๐ (เลขไทยหรือเลขอารบิกก็ได้) เว้นว่างได้ "
                              "เมื่อเลยวันนี้ เรื่องนี้จะขึ้นในรายการที่ต้องทบทวน")

    class Meta:
        model = DraftItem
        fields = ["chapter", "order", "title", "body", "review_by"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14, "data-preview": "body"})}
        help_texts = {"body": "เขียนแบบ Markdown: บรรทัดว่างคั่นย่อหน้า, ขึ้นต้นบรรทัดด้วย - เป็นรายการ, **ตัวหนา**"}

    def __init__(self, *args, draft, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chapter"].queryset = draft.chapters.all()
        self.fields["chapter"].empty_label = None

    def clean(self):
        data = super().clean()
        chapter, order = data.get("chapter"), data.get("order")
        if chapter and order:
            taken = chapter.items.filter(order=order).exclude(pk=self.instance.pk)
            if taken.exists():
                self.add_error("order", "หมวดนี้มีเรื่องลำดับนี้แล้ว กรุณาเลือกลำดับอื่น")
        return data


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="ผลการพิจารณา", widget=forms.RadioSelect,
                                 choices=[("approve", "อนุมัติ"), ("return", "ส่งกลับแก้ไข")])
    comment = forms.CharField(label="ความเห็นถึงทีม KM", required=False, widget=forms.Textarea(attrs={"rows": 4}),
                              help_text="จำเป็นเมื่อส่งกลับแก้ไข")

    def clean(self):
        data = super().clean()
        if data.get("decision") == "return" and not data.get("comment", "").strip():
            self.add_error("comment", "กรุณาเขียนความเห็นว่าต้องแก้ไขอะไร ก่อนส่งกลับ")
        return data


# What a source document may be: the first bytes must say so, whatever the file's name says.
ATTACHMENT_TYPES = [
    ("application/pdf", (b"%PDF-",)),
    ("image/png", (b"\x89PNG\r\n\x1a\n",)),
    ("image/jpeg", (b"\xff\xd8\xff",)),
    ("image/webp", (b"RIFF",)),
]


def sniff(head: bytes) -> str | None:
    for content_type, signatures in ATTACHMENT_TYPES:
        if any(head.startswith(s) for s in signatures):
            if content_type == "image/webp" and head[8:12] != b"WEBP":
                continue
            return content_type
    return None


class AttachmentForm(forms.Form):
    file = forms.FileField(label="แนบเอกสารต้นฉบับ (PDF หรือภาพ PNG, JPEG, WebP)",
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,.webp"}),
                           error_messages={"required": "กรุณาเลือกไฟล์", "empty": "ไฟล์นี้ว่างเปล่า"})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.WORKSPACE_MAX_UPLOAD_MB
        if upload.size > limit * 1024 * 1024:
            raise forms.ValidationError(f"ไฟล์ใหญ่เกิน {thai_digits(limit)} เมกะไบต์")
        head = upload.read(16)
        upload.seek(0)
        content_type = sniff(head)
        if content_type is None:
            raise forms.ValidationError("แนบได้เฉพาะไฟล์ PDF หรือภาพ PNG, JPEG, WebP")
        upload.sniffed_type = content_type
        return upload
