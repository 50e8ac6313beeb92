"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { startTransition } from "react";
import { Button } from "@/components/ui/button";

/**
 * What a visitor sees when a page or an action fails on the server (most
 * often: the database is unavailable). Next sends no detail of the error to
 * the browser in production, and this page shows none: the server's log has
 * it (lib/errors.ts, without a query's parameters).
 */
export function ErrorPage({ reset }: { reset: () => void }) {
  const router = useRouter();
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 px-4 text-center">
      <h1 className="text-2xl font-semibold">This page could not be loaded</h1>
      <p className="max-w-md text-sm text-slate-600">
        Latchkey could not finish this request, for example because its database is unavailable. Try again in a moment, and tell an
        administrator if it keeps happening.
      </p>
      <div className="flex items-center gap-4">
        <Button onClick={() => startTransition(() => (router.refresh(), reset()))}>Try again</Button>
        <Link href="/" className="text-sm font-semibold text-indigo-600 hover:underline">
          Back to the Global Dashboard
        </Link>
      </div>
    </main>
  );
}
