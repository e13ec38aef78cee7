# The local S3 server (moto in server mode) of the backup tests serves the storage tests here too.
from lumbung.backups.tests.conftest import s3, s3_server  # noqa: F401
