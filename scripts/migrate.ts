import "@/lib/runtime/boot";
import { closeDatabase } from "@/lib/db/client";
import { runMigrations } from "@/lib/db/migrate";

runMigrations()
  .then(async () => {
    console.log("Migrations applied.");
    await closeDatabase();
  })
  .catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
