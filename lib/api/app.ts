import "server-only";
import { OpenAPIHono } from "@hono/zod-openapi";
import { sql } from "drizzle-orm";
import { getDatabase } from "@/lib/db/client";
import { problem, problemResponse } from "./problem";

export function createApiApp() {
  const app = new OpenAPIHono().basePath("/api/v1");

  app.get("/health", async (c) => {
    try {
      const { db, kind } = await getDatabase();
      await db.execute(sql`select 1`);
      return c.json({ status: "ok", database: kind });
    } catch (error) {
      console.error("health: database unavailable:", error instanceof Error ? error.message : error);
      return problemResponse(problem(503, "database_unavailable", "Database unavailable", "Latchkey cannot reach its database."));
    }
  });

  app.notFound(() => problemResponse(problem(404, "not_found", "Not found", "No such endpoint or record.")));
  app.onError((error) => {
    console.error("api: unhandled error:", error instanceof Error ? error.stack : error);
    return problemResponse(problem(500, "internal_error", "Internal error", "Something went wrong on the server."));
  });
  return app;
}
