"use client";

import { BookOpen, ChevronDown, CircleUser, Menu } from "lucide-react";
import { signOut } from "next-auth/react";
import Link from "next/link";
import { DropdownMenu } from "radix-ui";

const item = "flex cursor-pointer items-center gap-2 rounded px-3 py-2 text-sm outline-none data-[highlighted]:bg-slate-100";
const content = "z-40 min-w-52 max-w-[calc(100vw-1rem)] rounded-md bg-white p-1 shadow-lg ring-1 ring-slate-200";

function AccountItems({ name, email }: { name?: string; email: string }) {
  return (
    <>
      <DropdownMenu.Label className="px-3 py-2 text-xs text-slate-500">
        {name && <span className="block truncate font-medium text-slate-700">{name}</span>}
        <span className="block truncate">{email}</span>
      </DropdownMenu.Label>
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
    </>
  );
}

// Not modal and not portaled: the open menu stays inside the header's landmark and leaves the page
// readable (a modal menu hides everything else from screen readers while it is open).

/** The header's user menu from 768 px up: the person's name is what the button says and is called. */
export function UserMenu({ name, email }: { name: string; email: string }) {
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className="flex max-w-56 items-center gap-1.5 rounded-md px-2 py-1.5 text-sm text-slate-700 hover:bg-slate-100">
        <CircleUser aria-hidden className="h-5 w-5 shrink-0" />
        <span className="truncate">{name}</span>
        <span className="sr-only">, user menu</span>
        <ChevronDown aria-hidden className="h-4 w-4 shrink-0" />
      </DropdownMenu.Trigger>
      <DropdownMenu.Content align="end" sideOffset={6} className={content}>
        <AccountItems email={email} />
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}

/** Below 768 px the header's links and the user menu fold into one Menu, so the header fits a phone. */
export function CompactMenu({ name, email, isOrgAdmin }: { name: string; email: string; isOrgAdmin: boolean }) {
  return (
    <DropdownMenu.Root modal={false}>
      <DropdownMenu.Trigger className="flex items-center gap-1.5 rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100">
        <Menu aria-hidden className="h-5 w-5" />
        Menu
      </DropdownMenu.Trigger>
      <DropdownMenu.Content align="end" sideOffset={6} collisionPadding={8} className={content}>
        {isOrgAdmin && (
          <DropdownMenu.Item asChild className={item}>
            <Link href="/admin">Global Administration</Link>
          </DropdownMenu.Item>
        )}
        <DropdownMenu.Item asChild className={item}>
          <a href="/api-docs" target="_blank" rel="noopener">
            <BookOpen aria-hidden className="h-4 w-4" />
            View API Docs
          </a>
        </DropdownMenu.Item>
        <DropdownMenu.Separator className="my-1 h-px bg-slate-100" />
        <AccountItems name={name} email={email} />
      </DropdownMenu.Content>
    </DropdownMenu.Root>
  );
}
