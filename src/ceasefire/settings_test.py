"""Settings for the test suite: the real settings, with a throw-away data dir and the database under test.

CEASEFIRE_TEST_DATABASE_URL selects PostgreSQL for the second pass; SQLite otherwise.
"""

import os
import tempfile

os.environ.setdefault("CEASEFIRE_TESTING", "true")
os.environ.setdefault("CEASEFIRE_DATA_DIR", tempfile.mkdtemp(prefix="ceasefire-test-"))
if os.environ.get("CEASEFIRE_TEST_DATABASE_URL"):
    os.environ["CEASEFIRE_DATABASE_URL"] = os.environ["CEASEFIRE_TEST_DATABASE_URL"]
else:
    os.environ.pop("CEASEFIRE_DATABASE_URL", None)

from ceasefire.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; production keeps PBKDF2
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
