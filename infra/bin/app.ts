import { App } from 'aws-cdk-lib'
import { UserError } from '../../core/errors.js'
import { addRevopsStacks } from '../add-revops-stacks.js'
import { loadConfig } from '../config.js'

/** The CDK app (cdk.json runs it with tsx). An invalid configuration stops synth with its reasons. */
const app = new App()
try {
  addRevopsStacks(app, loadConfig(app.node.tryGetContext('revops'), process.env))
} catch (error) {
  if (!(error instanceof UserError)) throw error
  process.stderr.write(`${error.message}\n${error.hint ? `hint: ${error.hint}\n` : ''}`)
  process.exit(1)
}
app.synth()
