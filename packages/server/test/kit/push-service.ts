import type { IncomingHttpHeaders } from 'node:http';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';

// Test-only: a self-signed certificate for 127.0.0.1 (100 years; generated with openssl for these
// tests, protects nothing). web-push speaks https only, so the stand-in push service needs one.
export const PUSH_SERVICE_CERT = `-----BEGIN CERTIFICATE-----
MIIBkDCCATagAwIBAgIUaPi2mi10XSnDhDWjarm15EJT/rowCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwMzE2MDIyNloYDzIxMjYxMTA5
MTYwMjI2WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQrQFV7O6b8eROTfivudzs8sMT9AvpZ0Mytp4vlGLTCGSmEIKH4qEjo
VD5VXxVRACwZDI1wFHXqmqhI68aydCuno2QwYjAdBgNVHQ4EFgQUFI0vigAO9B4J
m7hIOcSFOV58xnswHwYDVR0jBBgwFoAUFI0vigAO9B4Jm7hIOcSFOV58xnswDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0gAMEUC
IQD6+kk8EklrvE2a6Vz41reNWqVHuYGbk9jsc3Sl31XhrwIgZIRh4wxEUSAkYeKw
oPT+PNmFvxh8R4lAIbTzoNvz2qw=
-----END CERTIFICATE-----`;
const PUSH_SERVICE_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQggGJQuI4NMR0dcUpg
ptRqSwHRoh00bu3QJOej7Z0fJaOhRANCAAQrQFV7O6b8eROTfivudzs8sMT9AvpZ
0Mytp4vlGLTCGSmEIKH4qEjoVD5VXxVRACwZDI1wFHXqmqhI68aydCun
-----END PRIVATE KEY-----`;

/** A request the push service got: its headers and the encrypted body. */
export interface ReceivedPush {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** A real HTTPS endpoint on 127.0.0.1 standing in for a Web Push service (FCM, Mozilla). */
export interface PushService {
  /** An endpoint URL for a subscription: `${origin}/push/<name>`. */
  endpoint(name: string): string;
  received: ReceivedPush[];
  /** What to answer (default 201, as push services do). */
  respond: { status: number };
  close(): Promise<void>;
}

export async function startPushService(): Promise<PushService> {
  const received: ReceivedPush[] = [];
  const respond = { status: 201 };
  const server = createServer({ key: PUSH_SERVICE_KEY, cert: PUSH_SERVICE_CERT }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      res.writeHead(respond.status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: (name) => `https://127.0.0.1:${port}/push/${name}`,
    received,
    respond,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
