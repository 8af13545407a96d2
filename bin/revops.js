#!/usr/bin/env node
// The CLI is TypeScript run through tsx's loader, so `npx revops` needs no build step.
import { register } from 'tsx/esm/api'

register()
await import('../cli/index.ts')
