"""Forms: joining a session on a phone, and what trainers fill in. Every message is Thai."""
import re

from django import forms
from django.utils import timezone

from accounts.models import units_of
from knowledge.models import KMReport
from volunteerkm.thai import BE_OFFSET, MONTHS, fold_digits, thai_digits

from .models import CODE_ALPHABET, CODE_LENGTH, Participant, TestForm, TrainingSession

BIG = {"class": "big"}


def normalize_code(value: str) -> str:
    """What people type for a code: any case, spaces or dashes, Thai digits."""
    return re.sub(r"[\s\-]", "", fold_digits(value or "")).upper()


def thai_id_is_valid(digits: str) -> bool:
    """The check digit of a Thai 13-digit national ID number."""
    if not re.fullmatch(r"\d{13}", digits):
        return False
    total = sum(int(d) * (13 - i) for i, d in enumerate(digits[:12]))
    return (11 - total % 11) % 10 == int(digits[12])


class CodeForm(forms.Form):
    code = forms.CharField(label="รหัสเข้าร่วม", max_length=20,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false", "class": "code-input",
                                                         "inputmode": "text"}))

    def clean_code(self):
        code = normalize_code(self.cleaned_data["code"])
        if len(code) != CODE_LENGTH:
            raise forms.ValidationError(f"รหัสเข้าร่วมมี {thai_digits(CODE_LENGTH)} ตัว "
                                        f"(ที่กรอกมี {thai_digits(len(code))} ตัว) กรุณาตรวจสอบรหัสบนจออีกครั้ง")
        unused = sorted({c for c in code if c not in CODE_ALPHABET})
        if unused:
            raise forms.ValidationError(
                f"รหัสเข้าร่วมไม่มีตัว {' '.join(unused)} (ไม่ใช้ตัวที่หน้าตาคล้ายกัน เช่น 0 กับ O, 2 กับ Z, 5 กับ S) "
                f"กรุณาดูรหัสบนจออีกครั้ง ตัวที่ใช้ได้คือ {' '.join(CODE_ALPHABET)}")
        return code


class UnfilledTextInput(forms.TextInput):
    """A text box that is never filled back in: what was typed is not sent back to the browser."""

    def format_value(self, value):
        return None


class JoinForm(forms.Form):
    """Name, and a phone or ID number only when the session asks for it."""

    name = forms.CharField(label="ชื่อ–นามสกุล", max_length=120,
                           widget=forms.TextInput(attrs={"autocomplete": "name"}),
                           error_messages={"required": "กรุณากรอกชื่อ–นามสกุล"})
    phone = forms.CharField(label="เบอร์โทรศัพท์", max_length=20, required=False,
                            widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    national_id = forms.CharField(label="เลขประจำตัวประชาชน ๑๓ หลัก", max_length=20, required=False,
                                  widget=UnfilledTextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    device = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, session: TrainingSession, **kwargs):
        super().__init__(*args, **kwargs)
        self.session = session
        if session.ask_for != TrainingSession.PHONE:
            del self.fields["phone"]
        else:
            self.fields["phone"].required = True
            self.fields["phone"].error_messages["required"] = "กรุณากรอกเบอร์โทรศัพท์"
        if session.ask_for != TrainingSession.NATIONAL_ID:
            del self.fields["national_id"]
        else:
            self.fields["national_id"].required = True
            self.fields["national_id"].error_messages["required"] = "กรุณากรอกเลขประจำตัวประชาชน"

    def clean_name(self):
        name = re.sub(r"\s+", " ", self.cleaned_data["name"]).strip()
        if len(name) < 2:
            raise forms.ValidationError("กรุณากรอกชื่อ–นามสกุล")
        return name

    def clean_phone(self):
        digits = re.sub(r"[\s\-]", "", fold_digits(self.cleaned_data.get("phone", "")))
        if digits and not re.fullmatch(r"0\d{8,9}", digits):
            raise forms.ValidationError("เบอร์โทรศัพท์ต้องขึ้นต้นด้วย 0 และมี 9–10 หลัก เช่น 0812345678")
        return digits

    def clean_national_id(self):
        digits = re.sub(r"[\s\-]", "", fold_digits(self.cleaned_data.get("national_id", "")))
        if not digits:
            return ""
        if not re.fullmatch(r"\d{13}", digits):
            raise forms.ValidationError("เลขประจำตัวประชาชนต้องเป็นตัวเลข ๑๓ หลัก")
        if not thai_id_is_valid(digits):
            raise forms.ValidationError("เลขประจำตัวประชาชนไม่ถูกต้อง (เลขตรวจสอบหลักสุดท้ายไม่ตรง) กรุณาตรวจสอบอีกครั้ง")
        return digits

    def clean_device(self):
        device = self.cleaned_data.get("device", "")
        return device if re.fullmatch(r"[A-Za-z0-9_-]{8,48}", device or "") else ""


class ThaiDateWidget(forms.SelectDateWidget):
    """Day, Thai month name and Buddhist-Era year as three lists: the same on every phone
    and browser, whatever its language (a date input shows "11/30/2026" on many)."""

    template_name = "assessments/widgets/thai_date.html"

    def __init__(self, attrs=None):
        this_year = timezone.localdate().year
        super().__init__(attrs=attrs, years=range(this_year - 1, this_year + 3),
                         months=dict(enumerate(MONTHS, start=1)),
                         empty_label=("วัน", "เดือน", "ปี พ.ศ."))

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = {"day": "วัน", "month": "เดือน", "year": "ปี พ.ศ."}
        for sub in context["widget"]["subwidgets"]:
            part = sub["name"].rsplit("_", 1)[-1]
            sub["label"] = labels.get(part, "")
            # The values stay the Gregorian numbers; the labels are Thai digits, the year in พ.ศ.
            if part in ("day", "year"):
                for _, options, _ in sub["optgroups"]:
                    for option in options:
                        if str(option["value"]).isdigit():
                            number = int(option["value"]) + (BE_OFFSET if part == "year" else 0)
                            option["label"] = thai_digits(number)
        return context


class FormChoice(forms.ModelChoiceField):
    """A test form by its title alone (the field already says before or after training)."""

    def label_from_instance(self, obj):
        return obj.title


def forms_by_km(queryset):
    """Choices grouped under the title of the KM each form tests, the site's main KM first."""
    main = KMReport.objects.main()
    groups = {}
    for form in sorted(queryset, key=lambda f: (f.report_id != getattr(main, "pk", None), f.report_id or 0, f.title)):
        groups.setdefault(form.report.title if form.report_id else "ไม่ระบุ KM", []).append((form.pk, form.title))
    return [("", "---------"), *groups.items()]


class SessionForm(forms.ModelForm):
    """A trainer opens a training for one of their units and sets how it runs."""

    class Meta:
        model = TrainingSession
        fields = ["title", "unit", "date", "pre_form", "post_form", "time_limit", "pass_mark", "reveal", "ask_for"]
        field_classes = {"pre_form": FormChoice, "post_form": FormChoice}
        widgets = {"date": ThaiDateWidget, "ask_for": forms.RadioSelect, "reveal": forms.RadioSelect,
                   "time_limit": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1, "max": 180}),
                   "pass_mark": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0, "max": 100})}

    @staticmethod
    def api_data(values):
        """The API's JSON (a `date`) as the form's three date lists."""
        values = dict(values)
        day = values.pop("date", None)
        if day:
            values.update(date_day=day.day, date_month=day.month, date_year=day.year)
        return values

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(user)
        self.fields["unit"].empty_label = None
        self.fields["unit"].error_messages["invalid_choice"] = "เลือกได้เฉพาะหน่วยงานที่คุณสังกัด"
        for name in ("pre_form", "post_form"):
            self.fields[name].error_messages["invalid_choice"] = "เลือกแบบทดสอบจากรายการ"
        volunteer_forms = TestForm.objects.filter(active=True, kind__in=["pre", "post"]).select_related("report")
        self.fields["pre_form"].queryset = volunteer_forms.filter(kind="pre")
        self.fields["post_form"].queryset = volunteer_forms
        for name in ("pre_form", "post_form"):
            self.fields[name].choices = forms_by_km(self.fields[name].queryset)
        self.fields["post_form"].help_text = "ชุดคู่ขนาน (ข้อคำถามต่างกัน วัดเรื่องเดียวกัน) หรือชุดเดียวกับก่อนอบรมก็ได้"
        self.fields["date"].initial = timezone.localdate()
        pre_forms = volunteer_forms.filter(kind="pre")
        first_pre = pre_forms.filter(report=KMReport.objects.main()).first() or pre_forms.first()
        if first_pre:
            self.fields["pre_form"].initial = first_pre.pk
            post = first_pre.parallels.filter(active=True).first() or first_pre
            self.fields["post_form"].initial = post.pk
            self.fields["time_limit"].initial = first_pre.time_limit
            self.fields["pass_mark"].initial = post.pass_mark
        self.fields["time_limit"].help_text = "ใช้กับทั้งก่อนและหลังอบรม เว้นว่างถ้าไม่จำกัดเวลา"
        for f in self.fields.values():
            f.error_messages["required"] = f"กรุณาระบุ{f.label}"
        self.fields["date"].error_messages["invalid"] = "วันที่ไม่ถูกต้อง กรุณาเลือกวัน เดือน และปี พ.ศ. ให้ครบ"
        self.fields["time_limit"].error_messages["invalid"] = "เวลาทำต้องเป็นจำนวนนาที เช่น ๑๕"
        self.fields["pass_mark"].error_messages["invalid"] = "เกณฑ์ผ่านต้องเป็นตัวเลขร้อยละ เช่น ๖๐"

    def clean_time_limit(self):
        minutes = self.cleaned_data.get("time_limit")
        if minutes is not None and not 1 <= minutes <= 180:
            raise forms.ValidationError("เวลาทำต้องอยู่ระหว่าง ๑–๑๘๐ นาที หรือเว้นว่างถ้าไม่จำกัดเวลา")
        return minutes

    def clean_pass_mark(self):
        mark = self.cleaned_data.get("pass_mark")
        if mark is not None and mark > 100:
            raise forms.ValidationError("เกณฑ์ผ่านต้องอยู่ระหว่างร้อยละ ๐–๑๐๐")
        return mark


class MergeForm(forms.Form):
    """Merge a participant (who joined again, e.g. on another phone) into another."""

    keep = forms.ModelChoiceField(queryset=Participant.objects.none(), label="เก็บไว้")
    merge = forms.ModelChoiceField(queryset=Participant.objects.none(), label="รวมเข้า")

    def __init__(self, *args, session, **kwargs):
        super().__init__(*args, **kwargs)
        people = session.participants.filter(merged_into=None)
        self.fields["keep"].queryset = people
        self.fields["merge"].queryset = people
        for f in self.fields.values():
            f.error_messages["invalid_choice"] = "ไม่พบผู้เข้าอบรมที่เลือก"
            f.error_messages["required"] = "กรุณาเลือกผู้เข้าอบรม"

    def clean(self):
        data = super().clean()
        keep, merge = data.get("keep"), data.get("merge")
        if keep and merge:
            if keep == merge:
                raise forms.ValidationError("เลือกผู้เข้าอบรมคนเดียวกันทั้งสองช่อง")
            clash = (set(keep.attempts.values_list("kind", flat=True))
                     & set(merge.attempts.values_list("kind", flat=True)))
            if clash:
                raise forms.ValidationError(
                    "ทั้งสองคนมีผลแบบทดสอบชุดเดียวกันแล้ว รวมกันไม่ได้ ให้ย้ายผลทีละรายการแทน")
        return data
