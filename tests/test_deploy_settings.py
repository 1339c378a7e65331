"""Production settings come from the environment: with DEBUG off and an https SITE_URL,
HSTS, the redirect to https, secure cookies and the load balancer's X-Forwarded-Proto are
on by default, and `volunteerkm check --deploy` has nothing to warn about; each can be set
by its own variable; on plain http (`make run` on a laptop or a room's network) they stay off."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .helpers import ROOT

VOLUNTEERKM = str(Path(sys.executable).parent / "volunteerkm")
PRODUCTION = {"DEBUG": "false", "SITE_URL": "https://km.example.go.th", "ALLOWED_HOSTS": "km.example.go.th",
              "SECRET_KEY": "k" * 10 + "a-long-random-production-secret-key-0123456789-xyz"}
SHOWN = ["SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
         "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_PROXY_SSL_HEADER"]


def environment(tmp_path, **values):
    """This environment without the settings under test (and the tests' own async switch,
    which a deployment must not have)."""
    env = {k: v for k, v in os.environ.items()
           if k not in PRODUCTION and k != "DJANGO_ALLOW_ASYNC_UNSAFE" and not k.startswith(("SECURE_", "SESSION_",
                                                                                              "CSRF_"))}
    return {**env, "VAR_DIR": str(tmp_path), **values}


def check_deploy(tmp_path, **values):
    result = subprocess.run([VOLUNTEERKM, "check", "--deploy"], cwd=ROOT, capture_output=True, text=True,
                            env=environment(tmp_path, **values))
    return result.returncode, result.stdout + result.stderr


def settings_in(tmp_path, names=SHOWN, **values):
    code = ("from django.conf import settings; import json; "
            f"print(json.dumps({{k: getattr(settings, k) for k in {names}}}))")
    result = subprocess.run([VOLUNTEERKM, "shell", "-c", code], cwd=ROOT, capture_output=True, text=True,
                            env=environment(tmp_path, **values), check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_check_deploy_with_production_settings_prints_no_warnings(tmp_path):
    code, output = check_deploy(tmp_path, **PRODUCTION)
    assert code == 0, output
    assert "WARNINGS" not in output and "security.W" not in output, output
    assert "System check identified no issues" in output
    # the only checks silenced are django-ratelimit's cache-backend notes (settings.py says why)
    silenced = settings_in(tmp_path, ["SILENCED_SYSTEM_CHECKS"], **PRODUCTION)["SILENCED_SYSTEM_CHECKS"]
    assert all(check.startswith("django_ratelimit.") for check in silenced), silenced


def test_production_defaults_follow_debug_and_an_https_site_url(tmp_path):
    s = settings_in(tmp_path, **PRODUCTION)
    assert s["SECURE_SSL_REDIRECT"] and s["SESSION_COOKIE_SECURE"] and s["CSRF_COOKIE_SECURE"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000 and s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] and s["SECURE_HSTS_PRELOAD"]
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]


@pytest.mark.parametrize("values", [
    {"DEBUG": "false", "SITE_URL": "http://127.0.0.1:8000"},   # make run
    {"DEBUG": "true", "SITE_URL": "https://km.example.go.th"},  # a developer's https tunnel
])
def test_plain_http_or_debug_keeps_them_off(tmp_path, values):
    s = settings_in(tmp_path, **values)
    assert not any(s[k] for k in SHOWN)


def test_each_setting_has_its_own_variable(tmp_path):
    s = settings_in(tmp_path, **PRODUCTION, SECURE_SSL_REDIRECT="false", SECURE_HSTS_SECONDS="3600",
                    SECURE_HSTS_PRELOAD="no", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="off",
                    SECURE_PROXY_SSL_HEADER="X-Forwarded-Scheme")
    assert s["SECURE_SSL_REDIRECT"] is False and s["SECURE_HSTS_SECONDS"] == 3600 and s["SECURE_HSTS_PRELOAD"] is False
    assert s["SESSION_COOKIE_SECURE"] is False and s["CSRF_COOKIE_SECURE"] is False
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_SCHEME", "https"]
    assert settings_in(tmp_path, **PRODUCTION, SECURE_PROXY_SSL_HEADER="")["SECURE_PROXY_SSL_HEADER"] is None
    code, output = check_deploy(tmp_path, **PRODUCTION, SECURE_SSL_REDIRECT="false")
    assert "security.W008" in output  # Django still says what was turned off


def test_variables_can_turn_them_on_for_plain_http_too(tmp_path):
    s = settings_in(tmp_path, DEBUG="false", SITE_URL="http://10.0.0.5:8000", SESSION_COOKIE_SECURE="true",
                    SECURE_HSTS_SECONDS="60")
    assert s["SESSION_COOKIE_SECURE"] is True and s["SECURE_HSTS_SECONDS"] == 60 and s["SECURE_SSL_REDIRECT"] is False


@pytest.mark.django_db
def test_a_phones_cookies_are_secure_when_the_session_cookie_is(settings, session):
    from django.test import Client

    from .helpers import join

    settings.SESSION_COOKIE_SECURE = True
    client = Client()
    assert client.get(f"/j/{session.code}/").cookies["vkm_device"]["secure"]
    response = join(client, session)
    assert response.cookies[f"vkm_p_{session.code}"]["secure"]
