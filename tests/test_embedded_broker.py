"""The embedded default's broker: kombu's filesystem transport with atomic writes, so a worker
polling the folder never takes a message file before it is complete."""

import os

from kombu import Connection

from cms import kombu_filesystem


def _connection(folder):
    options = {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(folder / "control"),
        "polling_interval": 0.01,
    }
    return Connection("filesystem://", transport="cms.kombu_filesystem:Transport", transport_options=options)


def test_a_message_round_trips_through_the_atomic_filesystem_transport(tmp_path):
    with _connection(tmp_path) as connection:
        queue = connection.SimpleQueue("pushes")
        queue.put({"notification": 7})
        message = queue.get(timeout=5)
        message.ack()
        queue.close()
    assert message.payload == {"notification": 7}


def test_no_message_file_a_reader_takes_exists_until_it_is_complete(tmp_path, monkeypatch):
    seen_while_writing = []
    real_fsync = os.fsync

    def fsync(fd):
        # The moment the message's bytes are written but not yet in place: what a reader would list.
        seen_while_writing.extend(name for name in os.listdir(tmp_path) if name.endswith(".pushes.msg"))
        return real_fsync(fd)

    monkeypatch.setattr(kombu_filesystem.os, "fsync", fsync)
    with _connection(tmp_path) as connection:
        queue = connection.SimpleQueue("pushes")
        queue.put({"notification": 8})
        queue.close()

    assert seen_while_writing == []
    [final] = [name for name in os.listdir(tmp_path) if name.endswith(".pushes.msg")]
    assert (tmp_path / final).read_bytes()


def test_dev_settings_use_the_atomic_transport():
    from cms.settings import dev

    assert dev.CELERY_BROKER_TRANSPORT == "cms.kombu_filesystem:Transport"
    assert dev.CELERY_BROKER_TRANSPORT_OPTIONS["polling_interval"] <= 0.2
