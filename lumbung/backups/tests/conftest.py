import os
import socket
import subprocess
import sys
import time

import pytest


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def s3_server():
    """A real S3-compatible server (moto in server mode) on a free loopback port."""
    port = free_port()
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "uji", "AWS_SECRET_ACCESS_KEY": "uji-rahasia"}
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:  # pragma: no cover - the server did not come up
        process.kill()
        pytest.fail("moto server did not start")
    yield f"http://127.0.0.1:{port}"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def s3(s3_server, monkeypatch):
    """Credentials for the local server, and a helper that makes an empty bucket."""
    import boto3

    for key, value in {
        "AWS_ACCESS_KEY_ID": "uji",
        "AWS_SECRET_ACCESS_KEY": "uji-rahasia",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(key, value)
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")

    class S3:
        endpoint = s3_server

        @staticmethod
        def bucket(name: str) -> str:
            client.create_bucket(Bucket=name)
            return name

        @staticmethod
        def storage(bucket: str, **options):
            from storages.backends.s3 import S3Storage

            return S3Storage(
                bucket_name=bucket, endpoint_url=s3_server, addressing_style="path",
                file_overwrite=False, default_acl="private", **options,
            )  # fmt: skip

    return S3
