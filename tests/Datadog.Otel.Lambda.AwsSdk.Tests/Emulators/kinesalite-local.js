// Starts kinesalite (Kinesis, in memory) on 127.0.0.1 on a free port and prints the address for the test fixture; its
// CLI ignores --host and binds every interface. Streams become ACTIVE at once (createStreamMs 0).
const kinesalite = require("kinesalite");

const server = kinesalite({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 100 });
server.listen(0, "127.0.0.1", (error) => {
  if (error) {
    throw error;
  }

  const { port } = server.address();
  console.log(`listening http://127.0.0.1:${port}`);
});
