"""Reliability: kombu's filesystem transport (the embedded default's broker) with atomic writes.

kombu opens a message file under its final name and writes it afterwards; a worker polling the
folder can take the file in between, read it empty and stop with "Unrecoverable error:
JSONDecodeError" (seen with 600 follows arriving at once). Here a message is written under a name
the reader skips and renamed into place when complete, so a reader sees whole messages only.
"""

import os
import uuid
from time import monotonic

from kombu.exceptions import ChannelError
from kombu.transport import filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        """Put ``payload`` onto ``queue``: write a temporary file, then rename it into place."""
        name = f"{round(monotonic() * 1000)}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        partial = os.path.join(self.data_folder_out, f".{name}.part")  # not "<queue>.msg": skipped
        try:
            with open(partial, "wb") as handle:
                handle.write(str_to_bytes(dumps(payload)))
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(partial, final)
        except OSError as error:
            raise ChannelError(f"Cannot add file {final!r} to directory") from error


class Transport(filesystem.Transport):
    Channel = Channel
