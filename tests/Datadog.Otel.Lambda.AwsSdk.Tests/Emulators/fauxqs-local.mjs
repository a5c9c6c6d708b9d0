// Starts fauxqs (SQS, SNS, S3) on 127.0.0.1 only; its CLI binds every interface. Port 0 picks a free port, and the
// address is printed so the test fixture can read it.
import { buildApp } from "fauxqs";

const app = buildApp({ logger: false });
const address = await app.listen({ port: parseInt(process.env.FAUXQS_PORT ?? "0", 10), host: "127.0.0.1" });
console.log(`listening ${address}`);
for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => app.close().then(() => process.exit(0)));
}
