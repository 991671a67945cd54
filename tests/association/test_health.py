from config.celery import app


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok", "status": "ok"}


def test_healthz_is_503_when_the_broker_is_down(client, db, tmp_path, caplog):
    previous = app.conf.broker_url
    app.conf.broker_url = f"redis+socket://{tmp_path}/nothing-here.sock"
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = previous
    assert response.status_code == 503
    assert response.json()["broker"] == "unavailable"
    assert response.json()["database"] == "ok"
    # Django logs every 5xx as an error; this one is the behaviour under test.
    caplog.clear()
