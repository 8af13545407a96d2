import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda'
import { z } from 'zod'
import { AthenaEngine } from '../../core/engines/athena-engine.js'
import { handleMetricApi } from '../../semantic/http/metric-api.js'
import { projectCatalog } from '../../semantic/project.js'

/** The parts of a Lambda function URL event the API reads. */
const FunctionUrlEvent = z.object({
  rawPath: z.string(),
  rawQueryString: z.string().optional(),
  queryStringParameters: z.record(z.string(), z.string().optional()).optional(),
  body: z.string().optional(),
  isBase64Encoded: z.boolean().optional(),
  requestContext: z.object({ http: z.object({ method: z.string() }) }),
})

const Env = z.object({
  REVOPS_SCHEMA_PREFIX: z
    .string()
    .regex(/^[a-z0-9_]*$/)
    .default('revops_'),
  REVOPS_ENVIRONMENT: z.string().default('prod'),
})

// Built once per container: the catalog and settings are static; the Athena client keeps its connections.
const catalog = projectCatalog()
const settings = Env.parse(process.env)
let engine: AthenaEngine | undefined

/** The metric API behind a Lambda function URL (IAM auth), answering on Athena in the `bi` workgroup. */
export async function handler(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const parsed = FunctionUrlEvent.safeParse(event)
  if (!parsed.success)
    return { statusCode: 400, body: JSON.stringify({ error: 'not a function URL request' }) }
  const e = parsed.data
  const body =
    e.body !== undefined && e.isBase64Encoded ? Buffer.from(e.body, 'base64').toString('utf8') : e.body
  const response = await handleMetricApi(
    {
      method: e.requestContext.http.method,
      path: e.rawPath,
      query: e.queryStringParameters ?? {},
      ...(body === undefined ? {} : { body }),
    },
    {
      catalog,
      environment: settings.REVOPS_ENVIRONMENT,
      schemaPrefix: settings.REVOPS_SCHEMA_PREFIX,
      engine: async () => {
        engine ??= AthenaEngine.fromEnv(process.env)
        return engine
      },
    },
  )
  return { statusCode: response.status, headers: { ...response.headers }, body: response.body }
}
