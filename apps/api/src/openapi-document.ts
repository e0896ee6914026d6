import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { openApiSchemas } from './common/openapi';

/** `membersController` + `resetPassword` → `membersResetPassword`: stable as long as the handler keeps its name. */
export function operationIdOf(controllerKey: string, methodKey: string): string {
  const base = controllerKey.replace(/Controller$/, '');
  return base.charAt(0).toLowerCase() + base.slice(1) + methodKey.charAt(0).toUpperCase() + methodKey.slice(1);
}

/** The OpenAPI 3.1 document of every route (served at /api/openapi.json; `npm run openapi` writes it to packages/api-client). */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setOpenAPIVersion('3.1.0')
      .setTitle('CRM builder API')
      .setDescription(
        'Apps, entities, fields, records, organisation, permissions, forms. Authenticate with the session cookie `sid` (cookie writes also send `X-CSRF-Token`, the value of the `csrf` cookie) or an API token (`Authorization: Bearer crm_…`). Errors are RFC 9457 problem details with a stable `code`.',
      )
      .setVersion('0.1.0')
      .addCookieAuth('sid')
      .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'API token (crm_…) from POST /api/tokens' }, 'token')
      // Every operation needs the session cookie or a token unless it says `security: []` (login, health, public forms).
      .addSecurityRequirements('cookie')
      .addSecurityRequirements('token')
      .build(),
    { operationIdFactory: operationIdOf },
  );
  doc.components = { ...doc.components, schemas: { ...(doc.components?.schemas ?? {}), ...(openApiSchemas() as Record<string, object>) } };
  return doc;
}
