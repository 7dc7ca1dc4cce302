"""The embedded default's broker: kombu's filesystem transport with atomic writes, so a worker
polling the folder never takes a message file before it is complete."""

from kombu import Connection


def _connection(folder):
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "polling_interval": 0.01,
    }
    return Connection("filesystem://", transport="cms.kombu_filesystem:Transport", transport_options=options)


def test_a_message_round_trips_through_the_atomic_filesystem_transport(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # kombu keeps its exchange files in ./control
    with _connection(tmp_path) as connection:
        queue = connection.SimpleQueue("pushes")
        queue.put({"notification": 7})
        message = queue.get(timeout=5)
        message.ack()
        queue.close()
    assert message.payload == {"notification": 7}


def test_dev_settings_use_the_atomic_transport():
    from cms.settings import dev

    assert dev.CELERY_BROKER_TRANSPORT == "cms.kombu_filesystem:Transport"
    assert dev.CELERY_BROKER_TRANSPORT_OPTIONS["polling_interval"] <= 0.2
