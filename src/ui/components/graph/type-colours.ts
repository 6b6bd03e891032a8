/** One colour per node type: the app's types have fixed ones, imported types get a stable hashed hue. */
const FIXED: Record<string, string> = {
  disease: '#e57373',
  symptom: '#f0b429',
  drug: '#4caf7d',
  gene: '#5b8def',
  anatomy: '#9c7ad6',
  pharmacologic_class: '#36b3a0',
  pathogen: '#8d6e63',
  specialty: '#78909c',
  biological_process: '#64b5f6',
  cellular_component: '#81c784',
  molecular_function: '#ba68c8',
  pathway: '#ff8a65',
};

export function typeColour(type: string): string {
  const c = Object.hasOwn(FIXED, type) ? FIXED[type] : undefined;
  if (c) return c;
  let h = 0;
  for (let i = 0; i < type.length; i++) h = (h * 31 + type.charCodeAt(i)) >>> 0;
  return `hsl(${h % 360}, 55%, 60%)`;
}

/** A class-safe version of a type name (imported types may contain spaces or slashes). */
export function typeClass(type: string): string {
  return `t-${type.replace(/[^\w-]+/g, '_')}`;
}
