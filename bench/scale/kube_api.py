"""The API server, as the admin, over HTTPS with the kubeconfig's client certificate."""

import base64
import http.client
import json
import re
import ssl
import tempfile
import threading
from pathlib import Path

from scale.shell import run


class Api:
    def __init__(self, kubeconfig):
        config = json.loads(
            run("kubectl", "config", "view", "--raw", "--flatten", "-o", "json", "--kubeconfig", str(kubeconfig))
        )
        cluster, user = config["clusters"][0]["cluster"], config["users"][0]["user"]
        self.host, self.port = re.match(r"https://([^:/]+):(\d+)", cluster["server"]).groups()
        self.ssl = ssl.create_default_context(cadata=base64.b64decode(cluster["certificate-authority-data"]).decode())
        with tempfile.TemporaryDirectory() as directory:  # ssl loads a client key from files only
            cert, key = Path(directory, "crt"), Path(directory, "key")
            cert.write_bytes(base64.b64decode(user["client-certificate-data"]))
            key.write_bytes(base64.b64decode(user["client-key-data"]))
            self.ssl.load_cert_chain(cert, key)
            # The controller manager serves a self-signed certificate; it is on loopback.
            self.component_ssl = ssl._create_unverified_context()
            self.component_ssl.load_cert_chain(cert, key)
        self.local = threading.local()

    def component_metrics(self, port):
        """/metrics of a control plane component (kube-controller-manager) on loopback, as the admin."""
        connection = http.client.HTTPSConnection("127.0.0.1", port, context=self.component_ssl, timeout=30)
        try:
            connection.request("GET", "/metrics")
            return connection.getresponse().read().decode(errors="replace")
        except (OSError, http.client.HTTPException):
            return ""
        finally:
            connection.close()

    def connect(self, timeout=60):
        return http.client.HTTPSConnection(self.host, int(self.port), context=self.ssl, timeout=timeout)

    def request(self, method, path, body=None, content_type="application/json"):
        """One request on this thread's keep-alive connection; the status and the parsed body."""
        data = json.dumps(body).encode() if body is not None else None
        for attempt in range(2):  # once more on a connection the server closed
            connection = getattr(self.local, "conn", None) or self.connect()
            self.local.conn = connection
            try:
                connection.request(method, path, body=data, headers={"Content-Type": content_type} if data else {})
                response = connection.getresponse()
                raw = response.read()
                return response.status, (json.loads(raw) if raw[:1] == b"{" else raw.decode())
            except (http.client.HTTPException, OSError):
                connection.close()
                self.local.conn = None
                if attempt:
                    raise

    def text(self, path):
        status, body = self.request("GET", path)
        if status != 200:
            raise RuntimeError(f"GET {path}: {status} {body}")
        return body
