/** The sections of Global Administration; each one is added here when its pages exist. */
export const adminSections: { href: string; label: string; description: string }[] = [];
