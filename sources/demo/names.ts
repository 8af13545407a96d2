import type { Rng } from './prng.js'

const ADJ = [
  'Blue',
  'Bright',
  'Clear',
  'Swift',
  'North',
  'Silver',
  'Red',
  'Green',
  'Quiet',
  'Bold',
  'Prime',
  'True',
  'Open',
  'Deep',
  'High',
  'Iron',
  'Lunar',
  'Solar',
  'Urban',
  'Vital',
  'Noble',
  'Rapid',
  'Smart',
  'Sunny',
  'Golden',
  'Crisp',
  'Brave',
  'Fresh',
  'Grand',
  'Keen',
]
const NOUN = [
  'Falcon',
  'Harbor',
  'Summit',
  'Ridge',
  'Canyon',
  'Maple',
  'Orbit',
  'Pixel',
  'Anchor',
  'Beacon',
  'Cedar',
  'Delta',
  'Ember',
  'Forge',
  'Grove',
  'Horizon',
  'Lattice',
  'Meadow',
  'Nimbus',
  'Otter',
  'Pioneer',
  'Quarry',
  'River',
  'Sparrow',
  'Tide',
  'Vertex',
  'Willow',
  'Yard',
  'Zenith',
  'Arrow',
]
const SUFFIX = [
  'Labs',
  'Systems',
  'Logistics',
  'Health',
  'Analytics',
  'Software',
  'Foods',
  'Capital',
  'Media',
  'Robotics',
  'Energy',
  'Retail',
  'Studio',
  'Networks',
  'Bio',
]
const FIRST = [
  'Ava',
  'Ben',
  'Chloe',
  'Daniel',
  'Emma',
  'Felix',
  'Grace',
  'Hugo',
  'Isla',
  'Jonas',
  'Kara',
  'Liam',
  'Mia',
  'Noah',
  'Olivia',
  'Paul',
  'Quinn',
  'Ruby',
  'Sam',
  'Tara',
  'Uma',
  'Victor',
  'Wen',
  'Xavier',
  'Yuki',
  'Zoe',
  'Hiro',
  'Lena',
  'Marta',
  'Omar',
]
const LAST = [
  'Smith',
  'Garcia',
  'Müller',
  'Tanaka',
  'Brown',
  'Rossi',
  'Kim',
  'Dubois',
  'Novak',
  'Silva',
  'Khan',
  'Jensen',
  'Sato',
  'Weber',
  'Lopez',
  'Nguyen',
  'Fischer',
  'Suzuki',
  'Martin',
  'Cohen',
  "O'Brien",
  'Ivanova',
  'Berg',
  'Costa',
  'Hughes',
]
const TITLES = [
  'VP Finance',
  'Head of RevOps',
  'CFO',
  'Sales Operations Manager',
  'Data Analyst',
  'Director of Marketing',
  'CEO',
  'Controller',
  'BI Lead',
]
const INDUSTRIES = [
  'Software',
  'Healthcare',
  'Retail',
  'Financial Services',
  'Manufacturing',
  'Media',
  'Logistics',
  'Education',
]

export interface Person {
  firstName: string
  lastName: string
  title: string
}

export interface Company {
  name: string
  domain: string
  industry: string
  employees: number
}

export function company(rng: Rng, uniq: string): Company {
  const name = `${rng.pick(ADJ)} ${rng.pick(NOUN)} ${rng.pick(SUFFIX)}`
  const slug = name.toLowerCase().replace(/[^a-z]+/g, '')
  return {
    name,
    domain: `${slug}-${uniq}.${rng.pick(['com', 'io', 'co', 'de', 'jp'])}`,
    industry: rng.pick(INDUSTRIES),
    employees: rng.pick([12, 25, 40, 80, 150, 300, 650, 1200, 4000]),
  }
}

export function person(rng: Rng): Person {
  return { firstName: rng.pick(FIRST), lastName: rng.pick(LAST), title: rng.pick(TITLES) }
}

export function emailOf(p: Person, domain: string): string {
  const local = `${p.firstName}.${p.lastName}`
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z.]/g, '')
  return `${local}@${domain}`
}
