# BASELINE: honest
# Try to reach the network (loopback and outside).
import socket

for host, port in [("127.0.0.1", 22), ("10.0.0.1", 80), ("8.8.8.8", 53)]:
    try:
        socket.create_connection((host, port), timeout=1).close()
        print("CONNECTED", host)
    except OSError:
        pass
