from django import forms
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    """Django's login form with Thai messages."""

    error_messages = {
        "invalid_login": "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง กรุณาลองใหม่",
        "inactive": "บัญชีนี้ถูกระงับการใช้งาน",
    }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["username"].label = "ชื่อผู้ใช้"
        self.fields["password"].label = "รหัสผ่าน"
        self.fields["username"].error_messages["required"] = "กรุณากรอกชื่อผู้ใช้"
        self.fields["password"].error_messages["required"] = "กรุณากรอกรหัสผ่าน"
        self.fields["password"].widget = forms.PasswordInput(attrs={"autocomplete": "current-password"})
