// Starts dynalite (DynamoDB, in memory) on 127.0.0.1 on a free port and prints the address for the test fixture.
const dynalite = require("dynalite");

const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
server.listen(0, "127.0.0.1", (error) => {
  if (error) {
    throw error;
  }

  const { port } = server.address();
  console.log(`listening http://127.0.0.1:${port}`);
});
