"""A library whose tables live in an object store: created on one computer, joined from a
second one, searched from both. The store is a real S3 protocol server (moto) on loopback;
LanceDB talks to it through its own S3 client, configured by the usual AWS variables."""

from __future__ import annotations

import pytest

from desktop_rag.cli import main


@pytest.fixture
def s3(monkeypatch):  # type: ignore[no-untyped-def]
    boto3 = pytest.importorskip("boto3")
    server_module = pytest.importorskip("moto.server")
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=0)
    server.start()
    _, port = server.get_host_and_port()
    endpoint = f"http://127.0.0.1:{port}"
    credentials = {"AWS_ACCESS_KEY_ID": "team", "AWS_SECRET_ACCESS_KEY": "secret",
                   "AWS_REGION": "us-east-1"}
    boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                 aws_access_key_id="team", aws_secret_access_key="secret",
                 ).create_bucket(Bucket="shared")
    for name, value in {**credentials, "AWS_ENDPOINT": endpoint,
                        "AWS_ALLOW_HTTP": "true"}.items():
        monkeypatch.setenv(name, value)
    yield boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1",
                       aws_access_key_id="team", aws_secret_access_key="secret")
    server.stop()


def test_a_library_in_an_object_store_is_shared(s3, corpus, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DESKTOP_RAG_HOME", str(tmp_path / "first-computer"))
    assert main(["library", "create", "team", "--location", "s3://shared/team", "--select"]) == 0
    assert "its tables in s3://shared/team" in capsys.readouterr().out
    assert main(["import", str(corpus / "norwich-city.txt")]) == 0
    capsys.readouterr()
    stored = [o["Key"] for o in s3.list_objects_v2(Bucket="shared")["Contents"]]
    assert any(key.startswith("team/chunks.lance/") for key in stored)
    assert any(key.startswith("team/library_meta.lance/") for key in stored)
    assert not (tmp_path / "first-computer" / "data" / "libraries" / "team" / "lance").exists()

    # A second computer: its own data folder, the same location.
    monkeypatch.setenv("DESKTOP_RAG_HOME", str(tmp_path / "second-computer"))
    assert main(["library", "create", "team", "--location", "s3://shared/team", "--select"]) == 0
    assert "joined: all-MiniLM-L6-v2, en" in capsys.readouterr().out
    assert main(["docs"]) == 0
    out = capsys.readouterr().out
    assert "norwich-city.txt" in out and "imported" in out
    assert main(["search", "Which football club plays at Carrow Road?", "--mode", "keyword"]) == 0
    out = capsys.readouterr().out
    assert "norwich-city.txt" in out
    assert main(["library", "show"]) == 0
    assert "s3://shared/team" in capsys.readouterr().out
