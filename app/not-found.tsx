import Link from "next/link";

export default function NotFound() {
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-3 px-4">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-sm text-slate-600">There is nothing here, or you may not see it.</p>
      <Link href="/" className="text-sm font-semibold text-indigo-600 hover:underline">
        Back to the Global Dashboard
      </Link>
    </main>
  );
}
