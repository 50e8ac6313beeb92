import { afterAll } from "vitest";
import { closeDatabase } from "@/lib/db/client";

// Every test file that touches the database gets its own (see useFreshDatabase); close it when the file ends.
afterAll(async () => {
  await closeDatabase();
});
