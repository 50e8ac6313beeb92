"use client";

import { ChevronDown, CircleUser } from "lucide-react";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { DropdownMenu } from "radix-ui";

const item = "block cursor-pointer rounded px-3 py-2 text-sm outline-none data-[highlighted]:bg-slate-100";

export function UserMenu({ name, email }: { name: string; email: string }) {
  return (
    <DropdownMenu.Root>
      <DropdownMenu.Trigger
        aria-label="User menu"
        className="flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100"
      >
        <CircleUser aria-hidden className="h-5 w-5" />
        <span className="hidden sm:inline">{name}</span>
        <ChevronDown aria-hidden className="h-4 w-4" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Portal>
        <DropdownMenu.Content align="end" sideOffset={6} className="z-40 min-w-52 rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200">
          <DropdownMenu.Label className="px-3 py-2 text-xs text-slate-500">{email}</DropdownMenu.Label>
          <DropdownMenu.Item asChild className={item}>
            <Link href="/profile">User Profile</Link>
          </DropdownMenu.Item>
          <DropdownMenu.Item asChild className={item}>
            <Link href="/settings">Settings</Link>
          </DropdownMenu.Item>
          <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
          <DropdownMenu.Item className={item} onSelect={() => void signOut({ callbackUrl: "/login" })}>
            Sign out
          </DropdownMenu.Item>
        </DropdownMenu.Content>
      </DropdownMenu.Portal>
    </DropdownMenu.Root>
  );
}
