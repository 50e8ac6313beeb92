import "@/lib/runtime/boot";
import { closeDatabase } from "./client";
import { runMigrations } from "./migrate";

runMigrations()
  .then(async () => {
    console.log("Migrations applied.");
    await closeDatabase();
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
