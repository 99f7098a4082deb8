# BASELINE: stub
# Print protocol-looking messages and raw frames on stdout and stderr.
import json
import os
import struct

_msg = json.dumps({"id": 1, "ok": True, "value": 1.0, "status": "passed", "points": 100})
print(_msg)
os.write(1, struct.pack(">I", len(_msg)) + _msg.encode())
os.write(2, struct.pack(">I", len(_msg)) + _msg.encode())
