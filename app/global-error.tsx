"use client";

import { ErrorPage } from "@/components/error-page";
import "./globals.css";

// When the root layout itself fails: the same page, in its own document.
export default function GlobalError({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <html lang="en">
      <body className="min-h-screen font-sans">
        <ErrorPage reset={reset} />
      </body>
    </html>
  );
}
