// The OpenAPI 3.1 description of the Gloss API, served at `GET /api/v1/openapi.yaml`.
// docs/api.md is the prose version; the server tests check that the routes equal the
// document's operations and that responses validate against its schemas.
//
// Conventions used below: ids are lower-case UUID strings (`#/components/schemas/Id`), times are
// RFC 3339 (`format: date-time`), nullable values are written `type: [T, "null"]`, every 4xx is an
// `application/problem+json` Problem, and status codes are quoted so YAML keeps them as strings.

public enum OpenAPIDocument {
    public static let yaml: String = #"""
openapi: 3.1.0
info:
  title: Gloss API
  version: 1.0.0
  description: >-
    Gloss is a data-annotation server. Requesters create projects with a label schema and import
    tasks; workers lease tasks one at a time and submit annotations; results are exported as
    JSON Lines, JSON or CSV. See docs/api.md for the prose description.
servers:
  - url: /
security:
  - bearer: []
  - cookie: []
tags:
  - name: me
  - name: projects
  - name: tasks
  - name: taxonomies
  - name: models
  - name: chat
  - name: media
  - name: meta

paths:
  /api/v1/me:
    get:
      operationId: getMe
      summary: The signed-in user
      tags: [me]
      responses:
        '200':
          description: The user.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/User'
        '401':
          $ref: '#/components/responses/Unauthorized'

  /api/v1/me/hotkeys:
    put:
      operationId: putMyHotkeys
      summary: Replace the signed-in user's hotkeys
      tags: [me]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/HotkeysUpdate'
      responses:
        '200':
          description: The updated user.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/User'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects:
    get:
      operationId: listProjects
      summary: List the projects the caller may see
      description: >-
        Requesters see their organization's projects, admins see all projects, workers see the
        open ones.
      tags: [projects]
      responses:
        '200':
          description: The projects.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ProjectList'
        '401':
          $ref: '#/components/responses/Unauthorized'
    post:
      operationId: createProject
      summary: Create a project
      description: Requesters and admins. Only an admin may name another organization.
      tags: [projects]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ProjectCreate'
      responses:
        '201':
          description: The new project.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Project'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getProject
      summary: One project
      tags: [projects]
      responses:
        '200':
          description: The project.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Project'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'
    patch:
      operationId: updateProject
      summary: Change a project
      description: Requesters and admins. Any subset of the fields may be sent.
      tags: [projects]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ProjectUpdate'
      responses:
        '200':
          description: The updated project.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Project'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/tasks:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listTasks
      summary: A page of a project's tasks
      description: Requesters and admins. Keyset pages; pass `next_after` as `after` for the next page.
      tags: [tasks]
      parameters:
        - name: limit
          in: query
          required: false
          description: The page size.
          schema:
            type: integer
            minimum: 1
        - name: after
          in: query
          required: false
          description: The `next_after` of the previous page.
          schema:
            type: string
      responses:
        '200':
          description: A page of tasks.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TaskPage'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: importTasks
      summary: Import tasks into a project
      description: >-
        Requesters and admins. All or nothing. The body is a JSON array of tasks, JSON Lines
        (one task per line), or CSV with a header row (each column is a key of `data`, except
        `external_id`).
      tags: [tasks]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: array
              items:
                $ref: '#/components/schemas/TaskImport'
          application/x-ndjson:
            schema:
              type: string
              description: One TaskImport JSON object per line.
          text/csv:
            schema:
              type: string
              description: A header row, then one task per row.
      responses:
        '201':
          description: The number of imported tasks.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ImportResult'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/next:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: leaseNextTask
      summary: Lease the next task
      description: >-
        Workers. A worker who already holds an unexpired lease in the project (not named by
        `exclude`) gets that task back; 204 when no task is left for this worker.
      tags: [tasks]
      parameters:
        - name: exclude
          in: query
          required: false
          description: A task id not to be handed back (the task currently on screen).
          schema:
            type: string
            format: uuid
      responses:
        '200':
          description: The leased task.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Task'
        '204':
          description: No task is left for this worker.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'

  /api/v1/projects/{id}/export:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: exportProject
      summary: Export a project's tasks and annotations
      description: >-
        Requesters and admins. Streamed. jsonl/json: one record per task; csv: one row per
        annotation (a task without annotations has one row with empty annotation columns); conll:
        IOB2 tokens of the first spans field; dpo: {prompt, chosen, rejected} pairs from rankings
        and pairwise choices; kto: {prompt, completion, label} from ratings and flags; ratings_csv
        and mqm_csv: tables (docs/formats.md); coco: COCO instances (boxes, polygons, RLE masks,
        keypoints); yolo, voc, mot and png_masks: zip archives (docs/formats.md). Image formats use each
        task's latest annotation. A format the schema cannot fill is a 422.
      tags: [projects]
      parameters:
        - name: format
          in: query
          required: false
          schema:
            type: string
            enum: [jsonl, json, csv, conll, dpo, kto, ratings_csv, mqm_csv, coco, yolo, voc, mot, png_masks]
            default: jsonl
        - name: images
          in: query
          required: false
          description: yolo only; put the uploaded images in the zip.
          schema:
            type: boolean
            default: false
      responses:
        '200':
          description: The export.
          content:
            application/x-ndjson:
              schema:
                type: string
                description: One ExportRecord JSON object per line.
            application/json:
              schema:
                oneOf:
                  - type: array
                    items:
                      $ref: '#/components/schemas/ExportRecord'
                  - type: object
                    description: COCO instances (format=coco).
                    required: [images, annotations, categories]
            application/zip:
              schema:
                type: string
                format: binary
            text/csv:
              schema:
                type: string
            text/plain:
              schema:
                type: string
                description: CoNLL tokens, one "token TAG" pair a line.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/tasks/{id}/heartbeat:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: heartbeatTask
      summary: Keep a lease alive
      description: The worker holding the lease. 409 when the lease is gone.
      tags: [tasks]
      responses:
        '200':
          description: The new lease expiry.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Lease'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'

  /api/v1/tasks/{id}/skip:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: skipTask
      summary: Give a leased task back
      description: The worker holding the lease; this worker will not get the task again.
      tags: [tasks]
      responses:
        '204':
          description: Skipped.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'

  /api/v1/tasks/{id}/annotations:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listAnnotations
      summary: A task's annotations
      description: Requesters and admins see all of them; a worker sees only their own.
      tags: [tasks]
      responses:
        '200':
          description: The annotations.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/AnnotationList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: createAnnotation
      summary: Annotate a leased task
      description: >-
        The worker holding the lease. The value is validated against the project's label schema;
        422 names the offending field.
      tags: [tasks]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/AnnotationCreate'
      responses:
        '201':
          description: The annotation.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Annotation'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/media:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: uploadMedia
      summary: Upload images or videos
      description: >-
        Requesters and admins. multipart/form-data with one or more parts named `file`. The type is read
        from the bytes (PNG, JPEG, GIF, WebP; MP4, QuickTime, WebM, Matroska, AVI), images are checked
        whole and measured, videos are cut into frames with ffmpeg. Files go into a content-addressed
        blob store (SHA-256). 413 past GLOSS_MAX_MEDIA_BYTES, 415 for another type, 422 for a damaged
        file; nothing is stored when any file fails. Put the answered `url` in task data.
      tags: [media]
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              properties:
                file:
                  type: string
                  format: binary
      responses:
        '201':
          description: The stored media, in the order of the parts.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/MediaList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/UnprocessableContent'
        '503':
          $ref: '#/components/responses/ServiceUnavailable'
    get:
      operationId: listMedia
      summary: The project's media, newest first
      description: Requesters and admins.
      tags: [media]
      parameters:
        - name: limit
          in: query
          schema:
            type: integer
            minimum: 1
            maximum: 1000
            default: 100
      responses:
        '200':
          description: The media.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/MediaList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/media/{id}:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getMedia
      summary: The file's bytes
      description: >-
        Anyone who may see the media's project (workers: open projects). `Range` requests get 206; the
        ETag is the SHA-256, so `If-None-Match` gets 304; cached privately for a year.
      tags: [media]
      responses:
        '200':
          description: The bytes.
          content:
            image/*:
              schema:
                type: string
                format: binary
            video/*:
              schema:
                type: string
                format: binary
        '206':
          description: The requested range.
        '304':
          description: Not modified.
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/media/{id}/info:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: getMediaInfo
      summary: What is known of a file
      tags: [media]
      responses:
        '200':
          description: The media.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Media'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/media/{id}/frames/{frame}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - name: frame
        in: path
        required: true
        description: The frame number, from 0.
        schema:
          type: integer
          minimum: 0
    get:
      operationId: getMediaFrame
      summary: One frame of a video, as a JPEG
      tags: [media]
      responses:
        '200':
          description: The frame.
          content:
            image/jpeg:
              schema:
                type: string
                format: binary
        '304':
          description: Not modified.
        '401':
          $ref: '#/components/responses/Unauthorized'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/projects/{id}/prelabels:
    parameters:
      - $ref: '#/components/parameters/Id'
      - name: format
        in: query
        schema:
          type: string
          enum: [coco]
          default: coco
      - name: field
        in: query
        description: The boxes, polygons or keypoints field to fill (default the first such field).
        schema:
          type: string
      - name: model
        in: query
        description: The name the pre-labels carry (default `coco`).
        schema:
          type: string
    post:
      operationId: importPrelabels
      summary: Pre-labels from a COCO file for imported tasks
      description: >-
        Requesters and admins. Images are matched to tasks by file name (the uploaded media's name, the
        image URL's last segment, or `data.file_name`), categories to the field's labels by name. Every
        pre-label is checked against the schema; all or nothing. At most 256 MB.
      tags: [media]
      requestBody:
        required: true
        content:
          application/json:
            schema: {}
      responses:
        '200':
          description: What was matched.
          content:
            application/json:
              schema:
                type: object
                additionalProperties: false
                required: [matched_images, unmatched_images, annotations]
                properties:
                  matched_images:
                    type: integer
                  unmatched_images:
                    type: array
                    items:
                      type: string
                  annotations:
                    type: integer
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/taxonomies:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listTaxonomies
      summary: The project's taxonomies
      description: Requesters and admins.
      tags: [taxonomies]
      responses:
        '200':
          description: The taxonomies, by name.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TaxonomyList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/projects/{id}/taxonomies/{name}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/TaxonomyName'
    put:
      operationId: putTaxonomy
      summary: Import a taxonomy, replacing one of the same name
      description: >-
        Requesters and admins. JSON: a list of terms `{id, name, parent?, synonyms?, children?}` (flat or
        nested) or `{"terms": [...]}`. CSV: a header naming id, parent, name and optionally synonyms
        (separated by `|`). Ids are unique, parents must exist, cycles are refused; 422 names the line
        (CSV) or the term's path (JSON). At most 200,000 terms and 64 MB.
      tags: [taxonomies]
      requestBody:
        required: true
        content:
          application/json:
            schema: {}
          text/csv:
            schema:
              type: string
      responses:
        '200':
          description: What was stored.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TaxonomyInfo'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '413':
          $ref: '#/components/responses/PayloadTooLarge'
        '415':
          $ref: '#/components/responses/UnsupportedMediaType'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/taxonomies/{name}/search:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/TaxonomyName'
      - name: q
        in: query
        description: >-
          What the worker typed: names and synonyms are matched by word prefixes, ignoring case and
          accents; exact names first, then name prefixes, synonyms, and words anywhere.
        schema:
          type: string
          maxLength: 200
      - name: parent
        in: query
        description: Without `q`, the children of this term; with neither, the roots.
        schema:
          type: string
      - name: limit
        in: query
        schema:
          type: integer
          minimum: 1
          maximum: 200
          default: 20
    get:
      operationId: searchTaxonomy
      summary: Search a taxonomy as a worker types
      description: Anyone who may see the project (workers see open projects).
      tags: [taxonomies]
      responses:
        '200':
          description: The matching terms, best first.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/TaxonomySearch'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/endpoints:
    parameters:
      - $ref: '#/components/parameters/Id'
    get:
      operationId: listModelEndpoints
      summary: The project's model endpoints
      tags: [models]
      responses:
        '200':
          description: The endpoints (keys are never returned).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ModelEndpointList'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
    post:
      operationId: createModelEndpoint
      summary: Register a model endpoint
      description: >-
        Requesters and admins. `chat`: an OpenAI-compatible chat-completions URL that `chat` fields name.
        `prelabel`: a URL called with each task imported afterwards (`{task: {id, external_id?, data},
        project_id, schema}`), answering `{value, score?, model?}`. The key is stored encrypted
        (AES-GCM) and sent as `Authorization: Bearer`.
      tags: [models]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ModelEndpointCreate'
      responses:
        '201':
          description: The endpoint.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ModelEndpoint'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/endpoints/{endpoint}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - name: endpoint
        in: path
        required: true
        schema:
          type: string
          format: uuid
    patch:
      operationId: updateModelEndpoint
      summary: Change a model endpoint
      description: Any subset of the fields; `api_key` null or empty removes the key.
      tags: [models]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ModelEndpointUpdate'
      responses:
        '200':
          description: The endpoint.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ModelEndpoint'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'
    delete:
      operationId: deleteModelEndpoint
      summary: Remove a model endpoint and its pre-label jobs
      tags: [models]
      responses:
        '204':
          description: Removed.
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/projects/{id}/prelabel-jobs:
    parameters:
      - $ref: '#/components/parameters/Id'
      - name: status
        in: query
        schema:
          type: string
          enum: [queued, running, done, failed]
      - name: limit
        in: query
        schema:
          type: integer
          minimum: 1
          maximum: 500
          default: 50
    get:
      operationId: listPrelabelJobs
      summary: The pre-label queue of a project
      description: >-
        Counts by status and the most recently changed jobs. A job calls one pre-label endpoint for one
        task after the import commits; slow or failing calls are retried with exponential backoff up to
        the endpoint's `max_attempts`, and `last_error` says what went wrong. A failed job leaves its task
        as imported.
      tags: [models]
      responses:
        '200':
          description: Counts and jobs.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/PrelabelJobs'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/projects/{id}/prelabel-jobs/retry:
    parameters:
      - $ref: '#/components/parameters/Id'
    post:
      operationId: retryPrelabelJobs
      summary: Queue the failed pre-label jobs again
      tags: [models]
      responses:
        '200':
          description: How many jobs were queued again.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/RetryResult'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'

  /api/v1/tasks/{id}/chat/{field}:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/ChatField'
    get:
      operationId: getChat
      summary: The conversation of a chat field
      description: The worker holding the task. Saved after every step, so a reload resumes it.
      tags: [chat]
      responses:
        '200':
          description: The conversation.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ChatState'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'

  /api/v1/tasks/{id}/chat/{field}/messages:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/ChatField'
    post:
      operationId: sendChatMessage
      summary: Send the next message; the model answers twice
      description: >-
        Sends the conversation so far and the message to the field's chat endpoint in two separate
        requests; both replies become the pending turn. 502/504 when the endpoint fails or is too slow
        (the conversation is unchanged: send again), 503 when the project has no such endpoint, 409 when a
        pending turn waits for a choice or all turns are done.
      tags: [chat]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ChatMessage'
      responses:
        '200':
          description: The conversation with its pending turn.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ChatState'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'
        '502':
          $ref: '#/components/responses/BadGateway'
        '503':
          $ref: '#/components/responses/ServiceUnavailable'
        '504':
          $ref: '#/components/responses/GatewayTimeout'

  /api/v1/tasks/{id}/chat/{field}/choice:
    parameters:
      - $ref: '#/components/parameters/Id'
      - $ref: '#/components/parameters/ChatField'
    post:
      operationId: chooseChatReply
      summary: Pick the better reply of the pending turn
      description: >-
        Closes the pending turn: the winner, a strength (1-3) and a reason as the field asks, and `reply`
        when the worker edited the chosen reply. 422 names `choice.<key>`.
      tags: [chat]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              $ref: '#/components/schemas/ChatChoice'
      responses:
        '200':
          description: The conversation.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/ChatState'
        '400':
          $ref: '#/components/responses/BadRequest'
        '401':
          $ref: '#/components/responses/Unauthorized'
        '403':
          $ref: '#/components/responses/Forbidden'
        '404':
          $ref: '#/components/responses/NotFound'
        '409':
          $ref: '#/components/responses/Conflict'
        '422':
          $ref: '#/components/responses/UnprocessableContent'

  /api/v1/openapi.yaml:
    get:
      operationId: getOpenAPIDocument
      summary: This document
      tags: [meta]
      security: []
      responses:
        '200':
          description: The OpenAPI document.
          content:
            application/yaml:
              schema:
                type: string
            application/x-yaml:
              schema:
                type: string
            text/yaml:
              schema:
                type: string
            text/plain:
              schema:
                type: string

  /healthz:
    get:
      operationId: getHealth
      summary: Liveness
      tags: [meta]
      security: []
      responses:
        '200':
          description: The process is alive.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Health'
            text/plain:
              schema:
                type: string

  /readyz:
    get:
      operationId: getReadiness
      summary: Readiness (the database is reachable)
      tags: [meta]
      security: []
      responses:
        '200':
          description: Ready to serve.
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Health'
            text/plain:
              schema:
                type: string
        '503':
          description: Not ready (the database is unreachable).
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Health'
            application/problem+json:
              schema:
                $ref: '#/components/schemas/Problem'
            text/plain:
              schema:
                type: string

  /metrics:
    get:
      operationId: getMetrics
      summary: Prometheus metrics
      tags: [meta]
      security: []
      responses:
        '200':
          description: Metrics in the Prometheus text exposition format.
          content:
            text/plain:
              schema:
                type: string

components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: A token from `gloss token create --email E`.
    cookie:
      type: apiKey
      in: cookie
      name: gloss_session
      description: >-
        The session cookie set by the sign-in page. Writes (POST, PUT, PATCH, DELETE) must also
        send the session's CSRF token in the `X-CSRF-Token` header.

  parameters:
    TaxonomyName:
      name: name
      in: path
      required: true
      schema:
        type: string
        pattern: '^[a-z0-9_-]{1,64}$'
    ChatField:
      name: field
      in: path
      required: true
      description: The name of a chat field of the project's schema.
      schema:
        type: string
    Id:
      name: id
      in: path
      required: true
      schema:
        type: string
        format: uuid

  responses:
    BadRequest:
      description: The request is malformed.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Unauthorized:
      description: Not signed in.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Forbidden:
      description: The caller's role may not use this route, or the CSRF token is missing or wrong.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    NotFound:
      description: No such resource, or one the caller may not see.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    Conflict:
      description: The request conflicts with the current state (for example the lease is gone).
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    PayloadTooLarge:
      description: The body is past the size limit.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    UnsupportedMediaType:
      description: The body's content type is not supported.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    BadGateway:
      description: A model endpoint failed or answered something unusable.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    ServiceUnavailable:
      description: Something the request needs is missing on the server (a model endpoint, ffmpeg).
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    GatewayTimeout:
      description: A model endpoint did not answer within its time limit.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'
    UnprocessableContent:
      description: The body is well-formed but invalid; `field` and `line` name the first problem.
      content:
        application/problem+json:
          schema:
            $ref: '#/components/schemas/Problem'

  schemas:
    Id:
      type: string
      format: uuid
      pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'
      description: A random UUID, lower-case.

    Timestamp:
      type: string
      format: date-time
      description: An RFC 3339 time in UTC.

    User:
      type: object
      additionalProperties: false
      required: [id, email, name, role, organization_id, hotkeys]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        email:
          type: string
        name:
          type: string
        role:
          type: string
          enum: [admin, requester, worker]
        organization_id:
          type: [string, "null"]
          format: uuid
        hotkeys:
          type: object
          description: Action name to key.
          additionalProperties:
            type: string

    HotkeysUpdate:
      type: object
      required: [hotkeys]
      properties:
        hotkeys:
          type: object
          description: Action name to key.
          additionalProperties: false
          properties:
            submit: {type: string}
            skip: {type: string}
            undo: {type: string}
            redo: {type: string}
            option_1: {type: string}
            option_2: {type: string}
            option_3: {type: string}
            option_4: {type: string}
            option_5: {type: string}
            option_6: {type: string}
            option_7: {type: string}
            option_8: {type: string}
            option_9: {type: string}

    Progress:
      type: object
      additionalProperties: false
      required: [tasks_total, tasks_done, annotations, annotations_required]
      properties:
        tasks_total:
          type: integer
          minimum: 0
        tasks_done:
          type: integer
          minimum: 0
          description: Tasks with `overlap` annotations.
        annotations:
          type: integer
          minimum: 0
        annotations_required:
          type: integer
          minimum: 0

    Project:
      type: object
      additionalProperties: false
      required:
        - id
        - organization_id
        - name
        - schema
        - guidelines
        - guidelines_html
        - overlap
        - lease_seconds
        - status
        - created_at
        - updated_at
        - progress
      properties:
        id:
          $ref: '#/components/schemas/Id'
        organization_id:
          $ref: '#/components/schemas/Id'
        name:
          type: string
        schema:
          type: object
          description: 'The label schema: {"fields": [...]}; the field types and their values are in docs/fields.md.'
        guidelines:
          type: string
          description: Markdown.
        guidelines_html:
          type: string
          description: The guidelines rendered to HTML.
        overlap:
          type: integer
          minimum: 1
          description: Annotations wanted per task.
        lease_seconds:
          type: integer
          minimum: 1
        status:
          type: string
          enum: [open, paused, closed]
        created_at:
          $ref: '#/components/schemas/Timestamp'
        updated_at:
          $ref: '#/components/schemas/Timestamp'
        progress:
          $ref: '#/components/schemas/Progress'

    ProjectList:
      type: object
      additionalProperties: false
      required: [projects]
      properties:
        projects:
          type: array
          items:
            $ref: '#/components/schemas/Project'

    ProjectCreate:
      type: object
      required: [name, schema]
      properties:
        name:
          type: string
          minLength: 1
        schema:
          type: object
        guidelines:
          type: string
        overlap:
          type: integer
          minimum: 1
        lease_seconds:
          type: integer
          minimum: 1
        organization_id:
          type: string
          format: uuid
          description: Admins only.

    ProjectUpdate:
      type: object
      properties:
        name:
          type: string
          minLength: 1
        schema:
          type: object
        guidelines:
          type: string
        overlap:
          type: integer
          minimum: 1
        lease_seconds:
          type: integer
          minimum: 1
        status:
          type: string
          enum: [open, paused, closed]

    Prelabel:
      type: object
      required: [model, value]
      properties:
        model:
          type: string
        score:
          type: [number, "null"]
        value:
          type: object
          description: A label value keyed by field name.

    TaskImport:
      type: object
      required: [data]
      properties:
        data:
          type: object
        external_id:
          type: [string, "null"]
        prelabels:
          type: array
          items:
            $ref: '#/components/schemas/Prelabel'
        priority:
          type: integer

    ImportResult:
      type: object
      additionalProperties: false
      required: [imported]
      properties:
        imported:
          type: integer
          minimum: 0

    Task:
      type: object
      description: A leased task, as a worker sees it.
      additionalProperties: false
      required: [id, external_id, data, prelabels, lease_expires_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        external_id:
          type: [string, "null"]
        data:
          type: object
        prelabels:
          type: array
          items:
            $ref: '#/components/schemas/Prelabel'
        lease_expires_at:
          $ref: '#/components/schemas/Timestamp'

    TaskSummary:
      type: object
      additionalProperties: false
      required: [id, external_id, data, prelabels, priority, target, annotation_count, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        external_id:
          type: [string, "null"]
        data:
          type: object
        prelabels:
          type: array
          items:
            $ref: '#/components/schemas/Prelabel'
        priority:
          type: integer
        target:
          type: integer
          minimum: 0
          description: Annotations wanted for this task.
        annotation_count:
          type: integer
          minimum: 0
        created_at:
          $ref: '#/components/schemas/Timestamp'

    TaskPage:
      type: object
      additionalProperties: false
      required: [tasks, next_after]
      properties:
        tasks:
          type: array
          items:
            $ref: '#/components/schemas/TaskSummary'
        next_after:
          type: [string, "null"]
          description: Pass as `after` for the next page; null on the last page.

    Lease:
      type: object
      additionalProperties: false
      required: [lease_expires_at]
      properties:
        lease_expires_at:
          $ref: '#/components/schemas/Timestamp'

    AnnotationCreate:
      type: object
      required: [value]
      properties:
        value:
          type: object
          description: A label value keyed by field name.
        time_spent_s:
          type: number
          minimum: 0

    Annotation:
      type: object
      additionalProperties: false
      required: [id, task_id, project_id, worker, value, time_spent_s, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        task_id:
          $ref: '#/components/schemas/Id'
        project_id:
          $ref: '#/components/schemas/Id'
        worker:
          type: string
          description: The worker's e-mail.
        value:
          type: object
        time_spent_s:
          type: number
          minimum: 0
        created_at:
          $ref: '#/components/schemas/Timestamp'

    AnnotationList:
      type: object
      additionalProperties: false
      required: [annotations]
      properties:
        annotations:
          type: array
          items:
            $ref: '#/components/schemas/Annotation'

    ExportAnnotation:
      type: object
      additionalProperties: false
      required: [id, worker, value, time_spent_s, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        worker:
          type: string
          description: The worker's e-mail.
        value:
          type: object
        time_spent_s:
          type: number
          minimum: 0
        created_at:
          $ref: '#/components/schemas/Timestamp'

    ExportRecord:
      type: object
      description: One task with its annotations.
      additionalProperties: false
      required: [id, external_id, data, prelabels, annotations]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        external_id:
          type: [string, "null"]
        data:
          type: object
        prelabels:
          type: array
          items:
            $ref: '#/components/schemas/Prelabel'
        annotations:
          type: array
          items:
            $ref: '#/components/schemas/ExportAnnotation'

    Media:
      type: object
      additionalProperties: false
      required: [id, url, kind, content_type, file_name, byte_size, sha256, width, height, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        url:
          type: string
          description: The URL to put in task data.
        kind:
          type: string
          enum: [image, video]
        content_type:
          type: string
        file_name:
          type: string
        byte_size:
          type: integer
        sha256:
          type: string
          pattern: '^[0-9a-f]{64}$'
        width:
          type: [integer, "null"]
        height:
          type: [integer, "null"]
        frame_count:
          type: integer
        fps:
          type: [number, "null"]
        frame_url:
          type: string
          description: Videos; `{frame}` stands for the frame number.
        created_at:
          $ref: '#/components/schemas/Timestamp'

    MediaList:
      type: object
      additionalProperties: false
      required: [media]
      properties:
        media:
          type: array
          items:
            $ref: '#/components/schemas/Media'

    TaxonomyInfo:
      type: object
      additionalProperties: false
      required: [name, terms, roots, depth, updated_at]
      properties:
        name:
          type: string
        terms:
          type: integer
          minimum: 1
        roots:
          type: integer
          minimum: 1
        depth:
          type: integer
          minimum: 1
        updated_at:
          $ref: '#/components/schemas/Timestamp'

    TaxonomyList:
      type: object
      additionalProperties: false
      required: [taxonomies]
      properties:
        taxonomies:
          type: array
          items:
            $ref: '#/components/schemas/TaxonomyInfo'

    TaxonomyTerm:
      type: object
      additionalProperties: false
      required: [id, name, path, names, synonyms, matched, children]
      properties:
        id:
          type: string
        name:
          type: string
        path:
          type: array
          description: Ids from the root to the term.
          items:
            type: string
        names:
          type: array
          description: Names from the root to the term.
          items:
            type: string
        synonyms:
          type: array
          items:
            type: string
        matched:
          type: [string, "null"]
          description: The synonym that matched, when the match was not on the name.
        children:
          type: integer
          minimum: 0

    TaxonomySearch:
      type: object
      additionalProperties: false
      required: [terms]
      properties:
        terms:
          type: array
          items:
            $ref: '#/components/schemas/TaxonomyTerm'

    ModelEndpoint:
      type: object
      additionalProperties: false
      required: [id, name, kind, url, model, has_key, timeout_seconds, max_attempts, created_at]
      properties:
        id:
          $ref: '#/components/schemas/Id'
        name:
          type: string
        kind:
          type: string
          enum: [chat, prelabel]
        url:
          type: string
        model:
          type: [string, "null"]
        has_key:
          type: boolean
        timeout_seconds:
          type: integer
          minimum: 1
          maximum: 300
        max_attempts:
          type: integer
          minimum: 1
          maximum: 10
        created_at:
          $ref: '#/components/schemas/Timestamp'

    ModelEndpointList:
      type: object
      additionalProperties: false
      required: [endpoints]
      properties:
        endpoints:
          type: array
          items:
            $ref: '#/components/schemas/ModelEndpoint'

    ModelEndpointCreate:
      type: object
      required: [name, kind, url]
      properties:
        name:
          type: string
          pattern: '^[a-z0-9_-]{1,64}$'
        kind:
          type: string
          enum: [chat, prelabel]
        url:
          type: string
          description: An http:// or https:// URL.
        model:
          type: string
          description: The `model` sent to a chat-completions endpoint.
        api_key:
          type: string
          description: Stored encrypted; never returned.
        timeout_seconds:
          type: integer
          minimum: 1
          maximum: 300
          default: 30
        max_attempts:
          type: integer
          minimum: 1
          maximum: 10
          default: 5

    ModelEndpointUpdate:
      type: object
      properties:
        name:
          type: string
        url:
          type: string
        model:
          type: [string, "null"]
        api_key:
          type: [string, "null"]
        timeout_seconds:
          type: integer
        max_attempts:
          type: integer

    PrelabelJob:
      type: object
      additionalProperties: false
      required: [task_id, external_id, endpoint, status, attempts, last_error, updated_at]
      properties:
        task_id:
          $ref: '#/components/schemas/Id'
        external_id:
          type: [string, "null"]
        endpoint:
          type: string
        status:
          type: string
          enum: [queued, running, done, failed]
        attempts:
          type: integer
          minimum: 0
        last_error:
          type: [string, "null"]
        updated_at:
          $ref: '#/components/schemas/Timestamp'

    PrelabelJobs:
      type: object
      additionalProperties: false
      required: [counts, jobs]
      properties:
        counts:
          type: object
          additionalProperties: false
          required: [queued, running, done, failed]
          properties:
            queued:
              type: integer
            running:
              type: integer
            done:
              type: integer
            failed:
              type: integer
        jobs:
          type: array
          items:
            $ref: '#/components/schemas/PrelabelJob'

    RetryResult:
      type: object
      additionalProperties: false
      required: [requeued]
      properties:
        requeued:
          type: integer
          minimum: 0

    ChatTurn:
      type: object
      additionalProperties: false
      required: [user, candidates, winner, reply, edited]
      properties:
        user:
          type: string
        candidates:
          type: array
          minItems: 2
          maxItems: 2
          items:
            type: string
        winner:
          type: string
          enum: [a, b]
        strength:
          type: integer
          minimum: 1
          maximum: 3
        reason:
          type: string
        reply:
          type: string
          description: What the conversation went on with (the chosen reply or its edit).
        edited:
          type: boolean

    ChatState:
      type: object
      additionalProperties: false
      required: [turns, pending, endpoint, min_turns, max_turns]
      properties:
        turns:
          type: array
          items:
            $ref: '#/components/schemas/ChatTurn'
        pending:
          oneOf:
            - type: "null"
            - type: object
              additionalProperties: false
              required: [user, candidates]
              properties:
                user:
                  type: string
                candidates:
                  type: array
                  minItems: 2
                  maxItems: 2
                  items:
                    type: string
        endpoint:
          type: string
        min_turns:
          type: integer
          minimum: 0
        max_turns:
          type: integer
          minimum: 1

    ChatMessage:
      type: object
      required: [content]
      properties:
        content:
          type: string

    ChatChoice:
      type: object
      required: [winner]
      properties:
        winner:
          type: string
          enum: [a, b]
        strength:
          type: integer
        reason:
          type: string
        reply:
          type: string

    Health:
      type: object
      properties:
        status:
          type: string

    ProblemItem:
      type: object
      required: [message]
      properties:
        field:
          type: string
        line:
          type: integer
          minimum: 1
        message:
          type: string

    Problem:
      type: object
      description: An RFC 9457 problem; `field` and `line` are present only when they apply.
      required: [type, title, status]
      properties:
        type:
          type: string
        title:
          type: string
        status:
          type: integer
          minimum: 400
          maximum: 599
        detail:
          type: string
        field:
          type: string
        line:
          type: integer
          minimum: 1
        errors:
          type: array
          items:
            $ref: '#/components/schemas/ProblemItem'
"""#
}
