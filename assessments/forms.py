"""Forms: joining a session on a phone, and what trainers fill in. Every message is Thai."""
import re

from django import forms
from django.utils import timezone

from accounts.models import units_of
from volunteerkm.thai import fold_digits

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
        if len(code) != CODE_LENGTH or any(c not in CODE_ALPHABET for c in code):
            raise forms.ValidationError(f"รหัสเข้าร่วมมี {CODE_LENGTH} ตัว เป็นตัวอักษรภาษาอังกฤษและตัวเลข กรุณาตรวจสอบอีกครั้ง")
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


class SessionForm(forms.ModelForm):
    """A trainer opens a training for one of their units."""

    class Meta:
        model = TrainingSession
        fields = ["title", "unit", "date", "pre_form", "post_form", "ask_for"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "ask_for": forms.RadioSelect}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_of(user)
        self.fields["unit"].empty_label = None
        self.fields["unit"].error_messages["invalid_choice"] = "เลือกได้เฉพาะหน่วยงานที่คุณสังกัด"
        for name in ("pre_form", "post_form"):
            self.fields[name].error_messages["invalid_choice"] = "เลือกแบบทดสอบจากรายการ"
        volunteer_forms = TestForm.objects.filter(active=True, kind__in=["pre", "post"])
        self.fields["pre_form"].queryset = volunteer_forms
        self.fields["post_form"].queryset = volunteer_forms
        self.fields["post_form"].help_text = "ใช้ชุดเดียวกับก่อนอบรม หรือชุดคู่ขนานก็ได้"
        self.fields["date"].initial = timezone.localdate()
        first_pre = volunteer_forms.filter(kind="pre").first()
        if first_pre:
            self.fields["pre_form"].initial = first_pre.pk
            parallel = first_pre.parallels.filter(active=True).first()
            self.fields["post_form"].initial = (parallel or first_pre).pk
        for f in self.fields.values():
            f.error_messages["required"] = f"กรุณาระบุ{f.label}"
        self.fields["date"].error_messages["invalid"] = "วันที่ไม่ถูกต้อง"


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
